package dev.trainyard.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.trainyard.support.Api;
import dev.trainyard.support.Multipart;
import dev.trainyard.support.TeamServer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The default: no sign-in anywhere, and therefore reachable from this machine only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"trainyard.workers.count=0",
        "trainyard.local.allowed-hosts=trainyard.box"})
class LocalModeTest {

    static final String EVIL = "http://evil.example";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void changesFromAnotherSitesPageAreRefused() {
        var launch = new Api(port).with("Origin", EVIL).form("/launch", Map.of("project", "forged", "model", "seed-rnn", "epochs", "1"));
        assertThat(launch.status()).isEqualTo(403);
        assertThat(launch.contentType()).startsWith("application/problem+json");
        assertThat(launch.json().get("detail").asString()).contains("another web site");

        var upload = Multipart.post(new Api(port).uri("/api/v1/datasets"), "hostname", "text/plain",
                "hello hello".getBytes(StandardCharsets.UTF_8), null, Map.of("Origin", EVIL));
        assertThat(upload.status()).isEqualTo(403);
        assertThat(new Api(port).with("Sec-Fetch-Site", "cross-site").post("/api/v1/runs", "{\"project\": \"forged\"}").status())
                .isEqualTo(403);
        assertThat(new Api(port).with("Origin", "null").post("/api/v1/runs", "{\"project\": \"forged\"}").status())
                .as("a sandboxed frame's opaque origin").isEqualTo(403);
        assertThat(new Api(port).with("Origin", "http://localhost:" + (port + 1)).post("/api/v1/runs", "{\"project\": \"forged\"}")
                .status()).as("another server on this machine").isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from project where slug = 'forged'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from dataset where name = 'hostname'", Integer.class)).isZero();
        assertThat(new Api(port).with("Origin", EVIL).get("/api/v1/runs").status()).as("reads are not changes").isEqualTo(200);
    }

    @Test
    void theLocalDashboardsFormsCarryACsrfTokenButScriptsNeedNone() {
        var browser = Api.withCookies(port);
        String page = browser.get("/launch").body();
        var noToken = browser.with("Origin", "http://localhost:" + port)
                .form("/launch", Map.of("project", "tokenless", "model", "seed-rnn", "epochs", "1"));
        assertThat(noToken.status()).as("a form post without the page's token").isEqualTo(403);
        assertThat(noToken.json().get("detail").asString()).contains("CSRF");
        assertThat(browser.with("Origin", "http://localhost:" + port).post("/api/v1/runs", "{\"project\": \"tokenless\"}").status())
                .as("the session's cookie without the header").isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from project where slug = 'tokenless'", Integer.class)).isZero();

        var withToken = browser.with("Origin", "http://localhost:" + port)
                .form("/launch", Map.of("project", "own-page", "model", "seed-rnn", "epochs", "1", "_csrf", TeamServer.csrf(page)));
        assertThat(withToken.status()).as(withToken.body()).isEqualTo(302);
        assertThat(withToken.header("Location")).contains("/runs/");

        // Scripts: no cookie, no Origin, no token, as the Python and Java clients and curl call it.
        assertThat(new Api(port).post("/api/v1/runs", "{\"project\": \"script\"}").status()).isEqualTo(201);
        assertThat(Multipart.post(new Api(port).uri("/api/v1/datasets"), "a.txt", "text/plain",
                "hello hello".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
    }

    @Test
    void onlyThisMachinesNamesAreAnsweredSoDnsRebindingReachesNothing() throws IOException {
        var rebound = rawGet("attacker.example:" + port, "/api/v1/runs");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("application/problem+json").doesNotContain("\"content\"");
        assertThat(rawGet("ATTACKER.example", "/projects")).startsWith("HTTP/1.1 403");
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost", "trainyard.box:" + port}) {
            assertThat(rawGet(host, "/api/v1/runs")).as(host).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void whatTomcatRefusesByItselfIsProblemJsonAndAnOversizedFormLogsNoError(CapturedOutput log) throws Exception {
        for (String path : new String[] {"/api/v1/runs/a%00b", "/runs%00"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContain("<html");
        }
        // Tomcat answers an oversized header before it has read it all and then closes, so the rest of
        // the write can meet a reset (CI saw "Broken pipe"): the answer is what counts, so try again.
        String huge = null;
        for (int attempt = 0; attempt < 5 && (huge == null || huge.startsWith("reset:")); attempt++) {
            huge = raw("GET /api/v1/runs HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(100_000)
                    + "\r\nConnection: close\r\n\r\n");
        }
        assertThat(huge).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContain("<html");

        // A chunked form, so its size is known only while reading it: over Tomcat's 2 MB limit for forms.
        var browser = Api.withCookies(port);
        String token = TeamServer.csrf(browser.get("/launch").body());
        byte[] form = ("_csrf=" + token + "&project=" + "p".repeat(3_000_000)).getBytes(StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(browser.uri("/launch"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form))).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(log.getAll()).as("a client's oversized form is no server error").doesNotContain(" ERROR ")
                .doesNotContain("InvalidParameterException");
    }

    private String raw(String request) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException reset) {
            return "reset: " + reset.getMessage();
        }
    }

    /** A GET with a Host header of our choosing, which java.net.http will not send. */
    private String rawGet(String host, String path) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void nobodySignsInButOnlyThisMachineCanConnect() throws IOException {
        var api = new Api(port);
        assertThat(api.post("/api/v1/runs", "{\"project\": \"local\"}").status()).isEqualTo(201);
        assertThat(api.get("/projects").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me").json().get("authEnabled").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/tokens").status()).isEqualTo(404);
        assertThat(api.get("/login").status()).as("no sign-in page to show").isEqualTo(302);

        try (var loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        InetAddress external = externalAddress();
        assertThatThrownBy(() -> {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(external, port), 2000);
            }
        }).as("listening on 127.0.0.1 only, not on " + external).isInstanceOf(IOException.class);
    }

    /** This machine's address on a real network interface, which a neighbour would connect to. */
    static InetAddress externalAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(LocalModeTest::usable)
                .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst().orElseGet(() -> {
                    Assumptions.abort("this machine has no network interface besides loopback");
                    return null;
                });
    }

    private static boolean usable(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}

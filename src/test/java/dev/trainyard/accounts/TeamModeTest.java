package dev.trainyard.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.trainyard.support.Api;
import dev.trainyard.support.Multipart;
import dev.trainyard.support.SseClient;
import dev.trainyard.support.TeamServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A team server ({@code trainyard.auth.enabled}) from outside, as browsers and scripts meet it:
 * nobody gets in without credentials, roles decide, tokens can be revoked, forms need CSRF.
 * No workers, so jobs stay queued and the per-user queue limit can be reached.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-username=root", "trainyard.auth.admin-password=first-admin-pw",
        "trainyard.workers.count=0", "trainyard.runs.max-queued-jobs-per-user=3",
        "trainyard.live.max-streams-per-user=3", "trainyard.live.keep-alive=1s"})
class TeamModeTest {

    static final String JOB = "{\"project\": \"team\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": 5}}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theApiAndItsStreamsAnswer401WithoutCredentials() {
        var anonymous = new Api(port);
        String run = newRun(member());

        for (String path : new String[] {"/api/v1/runs", "/api/v1/projects", "/api/v1/runs/" + run + "/metrics/loss",
                "/api/v1/runs/" + run + "/events", "/api/v1/projects/team/events"}) {
            var response = anonymous.get(path);
            assertThat(response.status()).as(path).isEqualTo(401);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).as(path).startsWith("Bearer");
        }
        assertThat(anonymous.post("/api/v1/runs", JOB).status()).isEqualTo(401);
        assertThat(anonymous.post("/api/v1/runs/" + run + "/metrics", points(1)).status()).isEqualTo(401);

        var forged = Api.withToken(port, "ty_" + UUID.randomUUID());
        var refused = forged.get("/api/v1/runs");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("unknown or revoked");
        assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void healthStaysOpenForTheContainerHealthcheckAndPagesSendStrangersToSignIn() {
        var anonymous = new Api(port);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/metrics").status()).as("only health is public").isNotEqualTo(200);
        var page = anonymous.get("/projects");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/login");
        assertThat(anonymous.get("/login").body()).contains("Sign in to Trainyard");
    }

    @Test
    void theApiDescriptionTellsScriptsToSendTheirToken() {
        var viewer = team().script("reader" + suffix(), "reader-pw-123", "VIEWER");
        var api = viewer.get("/v3/api-docs").json();
        assertThat(api.get("components").get("securitySchemes").get("token").get("scheme").asString()).isEqualTo("bearer");
        assertThat(new Api(port).get("/v3/api-docs").status()).isEqualTo(401);
    }

    @Test
    void aTeamServerListensOnTheNetwork() throws Exception {
        var external = LocalModeTest.externalAddress();
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(external, port), 2000);
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void aViewerReadsEverythingButLaunchesLogsCancelsAndUploadsNothing() {
        var member = member();
        String run = newRun(member);
        String job = member.post("/api/v1/runs", JOB).json().get("id").asString();
        var viewerSession = signIn(newUser(Role.VIEWER), "viewer-pw-123");
        var viewer = Api.withToken(port, token(viewerSession));
        assertThat(viewerSession.get("/projects").body()).as("no launch link for a viewer").doesNotContain(">Launch<");

        assertThat(viewer.get("/api/v1/runs").status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/runs/" + run).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/runs/" + run + "/metrics/loss").status()).isEqualTo(200);

        var launch = viewer.post("/api/v1/runs", JOB);
        assertThat(launch.status()).isEqualTo(403);
        assertThat(launch.contentType()).startsWith("application/problem+json");
        assertThat(launch.json().get("detail").asString()).contains("member");
        assertThat(viewer.post("/api/v1/runs/" + run + "/metrics", points(1)).status()).isEqualTo(403);
        assertThat(viewer.post("/api/v1/runs/" + job + "/cancel", "").status()).isEqualTo(403);
        assertThat(viewer.patch("/api/v1/runs/" + run, "{\"notes\": \"x\"}").status()).isEqualTo(403);
        assertThat(Multipart.post(viewer.uri("/api/v1/datasets"), "a.txt", "text/plain",
                "hello hello".getBytes(StandardCharsets.UTF_8), viewer.authorization()).status()).isEqualTo(403);

        assertThat(member.post("/api/v1/runs/" + run + "/metrics", points(2)).status()).isEqualTo(200);
        assertThat(member.post("/api/v1/runs/" + job + "/cancel", "").status()).isEqualTo(200);
        assertThat(Multipart.post(member.uri("/api/v1/datasets"), "a.txt", "text/plain",
                "hello hello".getBytes(StandardCharsets.UTF_8), member.authorization()).status()).isEqualTo(201);
    }

    @Test
    void aRevokedTokenStopsWorkingAndUseIsRecorded() {
        var session = signIn(newUser(Role.MEMBER), "member-pw-123");
        String secret = token(session);
        var script = Api.withToken(port, secret);
        assertThat(script.get("/api/v1/runs").status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from api_token where token_hash = ? and last_used_at is not null",
                Integer.class, TokenManagement.hash(secret))).as("last_used_at is tracked").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from api_token where token_hash = ?", Integer.class, secret))
                .as("the secret itself is not stored").isZero();

        long id = jdbc.queryForObject("select id from api_token where token_hash = ?", Long.class, TokenManagement.hash(secret));
        var revoke = session.form("/account/tokens/" + id + "/revoke", Map.of("_csrf", csrf(session.get("/account").body())));
        assertThat(revoke.status()).isEqualTo(302);

        assertThat(script.get("/api/v1/runs").status()).isEqualTo(401);
        assertThat(session.get("/account").body()).contains("revoked");
    }

    @Test
    void scriptsManageTheirOwnTokensThroughTheApi() {
        var script = member();
        var created = script.post("/api/v1/tokens", "{\"name\": \"ci box\"}");
        assertThat(created.status()).isEqualTo(201);
        String second = created.json().get("token").asString();
        long id = created.json().get("id").asLong();
        var other = Api.withToken(port, second);
        assertThat(other.get("/api/v1/me").json().get("role").asString()).isEqualTo("member");
        assertThat(script.get("/api/v1/tokens").body()).doesNotContain(second);

        assertThat(script.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertThat(other.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(script.post("/api/v1/tokens", "{\"name\": \"\"}").status()).isEqualTo(400);
    }

    @Test
    void aDisabledUsersTokenStopsWorking() {
        String name = newUser(Role.MEMBER);
        var script = Api.withToken(port, token(signIn(name, "member-pw-123")));
        assertThat(script.get("/api/v1/runs").status()).isEqualTo(200);

        var admin = signIn("root", "first-admin-pw");
        long id = jdbc.queryForObject("select id from users where username = ?", Long.class, name);
        admin.form("/admin/users/" + id, Map.of("role", "MEMBER", "_csrf", csrf(admin.get("/admin/users").body())));

        assertThat(script.get("/api/v1/runs").status()).isEqualTo(401);
        assertThat(new Api(port).form("/login", Map.of("username", name, "password", "member-pw-123")).status())
                .as("no CSRF token, no sign-in").isEqualTo(403);
    }

    @Test
    void theSessionCookieIsSameSiteAndPagesCarryAStrictContentSecurityPolicy() {
        var browser = Api.withCookies(port);
        var login = browser.get("/login");
        assertThat(login.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("JSESSIONID=") && c.contains("SameSite=Lax")
                && c.contains("HttpOnly"));
        var session = signIn(newUser(Role.MEMBER), "member-pw-123");
        for (String path : new String[] {"/projects", "/launch", "/account", "/datasets"}) {
            var page = session.get(path);
            assertThat(page.header("Content-Security-Policy")).as(path).contains("default-src 'self'").contains("script-src 'self'")
                    .doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
            assertThat(page.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        }
        String run = newRun(pageScript(session));
        var csv = session.get("/api/v1/runs/" + run + "/metrics/loss.csv");
        assertThat(csv.header("X-Content-Type-Options")).as("a download").isEqualTo("nosniff");
    }

    @Test
    void aMemberRefusedAnAdminPageIsToldItNeedsTheAdminRole() {
        var member = pageScript(signIn(newUser(Role.MEMBER), "member-pw-123"));
        var refused = member.with("Accept", "application/json").form("/admin/users", Map.of("username", "sneaky" + suffix(), "password",
                "password-123", "role", "ADMIN", "_csrf", csrf(member.get("/projects").body())));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("admin role").doesNotContain("member role");
    }

    @Test
    void disablingAUserEndsTheirSessionAtOnce() {
        String name = newUser(Role.MEMBER);
        var session = pageScript(signIn(name, "member-pw-123"));
        assertThat(session.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(session.post("/api/v1/runs", "{\"project\": \"team\"}").status()).isEqualTo(201);

        setUser(name, "MEMBER", false);

        assertThat(session.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(session.post("/api/v1/runs", "{\"project\": \"disabled\"}").status()).isIn(401, 403);
        assertThat(session.post("/api/v1/tokens", "{\"name\": \"late\"}").status()).isIn(401, 403);
        assertThat(jdbc.queryForObject("select count(*) from project where slug = 'disabled'", Integer.class)).isZero();
        assertThat(session.get("/projects").header("Location")).as("the page sends them to sign in").endsWith("/login");
    }

    @Test
    void aDemotedMembersSessionMayOnlyReadFromTheNextRequest() {
        String name = newUser(Role.MEMBER);
        var session = pageScript(signIn(name, "member-pw-123"));
        String run = newRun(session);

        setUser(name, "VIEWER", true);

        assertThat(session.get("/api/v1/me").json().get("role").asString()).isEqualTo("viewer");
        assertThat(session.post("/api/v1/runs", "{\"project\": \"team\"}").status()).isEqualTo(403);
        assertThat(session.delete("/api/v1/runs/" + run).status()).isEqualTo(403);
        assertThat(session.get("/api/v1/runs/" + run).status()).as("still reads").isEqualTo(200);

        setUser(name, "MEMBER", true);
        assertThat(session.post("/api/v1/runs", "{\"project\": \"team\"}").status()).as("promoted back").isEqualTo(201);
    }

    @Test
    void changingThePasswordEndsEveryOtherSessionButKeepsThisOne() {
        String name = newUser(Role.MEMBER);
        var here = signIn(name, "member-pw-123");
        var elsewhere = signIn(name, "member-pw-123");
        assertThat(elsewhere.get("/api/v1/me").status()).isEqualTo(200);

        var changed = here.form("/account/password", Map.of("current", "member-pw-123", "next", "member-pw-456",
                "_csrf", csrf(here.get("/account").body())));
        assertThat(changed.status()).as(changed.body()).isEqualTo(302);

        assertThat(here.get("/api/v1/me").status()).as("the session that changed it").isEqualTo(200);
        assertThat(here.get("/account").status()).isEqualTo(200);
        assertThat(elsewhere.get("/api/v1/me").status()).as("another session").isEqualTo(401);
        assertThat(signIn(name, "member-pw-456").get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void dashboardFormsNeedTheirCsrfToken() {
        var admin = signIn("root", "first-admin-pw");
        String name = "nocsrf" + suffix();

        var forged = admin.form("/admin/users", Map.of("username", name, "password", "password-123", "role", "MEMBER"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from users where username = ?", Integer.class, name)).isZero();
        assertThat(admin.form("/launch", Map.of("project", "team", "model", "seed-rnn")).status()).isEqualTo(403);

        // The dashboard's own scripts call the API with the session cookie, so they must send it too.
        var noHeader = admin.post("/api/v1/runs", JOB);
        assertThat(noHeader.status()).isEqualTo(403);
        assertThat(noHeader.json().get("detail").asString()).contains("CSRF");

        var real = admin.form("/admin/users", Map.of("username", name, "password", "password-123", "role", "MEMBER",
                "_csrf", csrf(admin.get("/admin/users").body())));
        assertThat(real.status()).isEqualTo(302);
        assertThat(jdbc.queryForObject("select count(*) from users where username = ?", Integer.class, name)).isEqualTo(1);
    }

    @Test
    void theAdminPageIsForAdminsAndShowsMistakesBesideTheField() {
        var member = signIn(newUser(Role.MEMBER), "member-pw-123");
        assertThat(member.get("/admin/users").status()).isEqualTo(403);

        var admin = signIn("root", "first-admin-pw");
        var tooShort = admin.form("/admin/users", Map.of("username", "shorty" + suffix(), "password", "short", "role", "VIEWER",
                "_csrf", csrf(admin.get("/admin/users").body())));
        assertThat(tooShort.status()).isEqualTo(200);
        assertThat(tooShort.body()).contains("field-error").contains("at least 8 characters");

        long root = jdbc.queryForObject("select id from users where username = 'root'", Long.class);
        admin.form("/admin/users/" + root, Map.of("role", "MEMBER", "enabled", "true", "_csrf", csrf(admin.get("/admin/users").body())));
        assertThat(admin.get("/admin/users").body()).as("the last admin stays admin").contains("last admin");
        assertThat(jdbc.queryForObject("select role from users where id = ?", String.class, root)).isEqualTo("ADMIN");
    }

    @Test
    void aWrongPasswordIsRefused() {
        var browser = Api.withCookies(port);
        var response = browser.form("/login", Map.of("username", "root", "password", "wrong-password",
                "_csrf", csrf(browser.get("/login").body())));
        assertThat(response.header("Location")).endsWith("/login?error");
        assertThat(browser.get("/projects").status()).isEqualTo(302);
    }

    @Test
    void streamsServeSignedInReaders() {
        var member = member();
        String run = newRun(member);
        var viewer = Api.withToken(port, token(signIn(newUser(Role.VIEWER), "viewer-pw-123")));
        try (var live = new SseClient(viewer.uri("/api/v1/runs/" + run + "/events"), null, viewer.authorization())) {
            // The stream opens with the run's state; from then on it is subscribed.
            await().atMost(Duration.ofSeconds(10)).until(() -> !live.events("state").isEmpty());
            member.post("/api/v1/runs/" + run + "/metrics", points(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> !live.events("metrics").isEmpty());
            assertThat(live.status()).isEqualTo(200);
        }
    }

    @Test
    void oneUserMayHoldOnlySoManyLiveStreams() {
        var member = member();
        String run = newRun(member);
        var viewer = Api.withToken(port, token(signIn(newUser(Role.VIEWER), "viewer-pw-123")));
        var held = new java.util.ArrayList<SseClient>();
        try {
            for (int i = 0; i < 3; i++) {
                var live = new SseClient(viewer.uri("/api/v1/runs/" + run + "/events"), null, viewer.authorization());
                held.add(live);
                await().atMost(Duration.ofSeconds(10)).until(() -> !live.events("state").isEmpty());
            }
            var refused = viewer.within(Duration.ofSeconds(10)).get("/api/v1/projects/team/events");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("limit").asString()).isEqualTo("trainyard.live.max-streams-per-user");

            try (var other = new SseClient(member.uri("/api/v1/runs/" + run + "/events"), null, member.authorization())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !other.events("state").isEmpty());
                assertThat(other.status()).as("another user still gets a stream").isEqualTo(200);
            }
            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var again = new SseClient(viewer.uri("/api/v1/runs/" + run + "/events"), null, viewer.authorization())) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> again.status() != 0);
                    assertThat(again.status()).as("a closed stream frees its place").isEqualTo(200);
                }
            });
        } finally {
            held.forEach(SseClient::close);
        }
    }

    @Test
    void theQueueLimitHoldsUnderConcurrentSubmissions() throws Exception {
        var member = member();
        int attempts = 48;
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        try {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < attempts; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return member.post("/api/v1/runs", JOB).status();
                }));
            }
            start.countDown();
            var statuses = new java.util.ArrayList<Integer>();
            for (var answer : answers) {
                statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(statuses).as("the limit is 3").filteredOn(s -> s == 201).hasSize(3);
            assertThat(statuses).filteredOn(s -> s != 201).allMatch(s -> s == 429);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachUserMayQueueOnlySoManyJobs() {
        var member = member();
        for (int i = 0; i < 3; i++) {
            assertThat(member.post("/api/v1/runs", JOB).status()).isEqualTo(201);
        }
        var refused = member.post("/api/v1/runs", JOB);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("limit").asString()).isEqualTo("trainyard.runs.max-queued-jobs-per-user");
        assertThat(refused.json().get("detail").asString()).contains("3 queued jobs");

        var other = member();
        assertThat(other.post("/api/v1/sweeps", """
                {"project": "team", "models": ["seed-rnn"], "grid": {"hidden": [8, 9, 10, 11]}, "base": {"epochs": 5}}""")
                .status()).as("a sweep that would overshoot is refused as a whole").isEqualTo(429);
        assertThat(other.post("/api/v1/runs", JOB).status()).as("the limit is per user").isEqualTo(201);
    }

    /** The page's own script: the session cookie plus the CSRF header from the page's meta tag. */
    private static Api pageScript(Api session) {
        return session.with("X-CSRF-TOKEN", csrf(session.get("/projects").body()));
    }

    private void setUser(String name, String role, boolean enabled) {
        var admin = signIn("root", "first-admin-pw");
        long id = jdbc.queryForObject("select id from users where username = ?", Long.class, name);
        var fields = new java.util.HashMap<>(Map.of("role", role, "_csrf", csrf(admin.get("/admin/users").body())));
        if (enabled) {
            fields.put("enabled", "true");
        }
        assertThat(admin.form("/admin/users/" + id, fields).status()).isEqualTo(302);
    }

    private TeamServer team() {
        return new TeamServer(port, "root", "first-admin-pw");
    }

    private Api member() {
        return team().script("member" + suffix(), "member-pw-123", "MEMBER");
    }

    private String newRun(Api api) {
        return api.post("/api/v1/runs", "{\"project\": \"team\"}").json().get("id").asString();
    }

    private String newUser(Role role) {
        String name = role.label() + suffix();
        team().createUser(name, role.label() + "-pw-123", role.name());
        return name;
    }

    private Api signIn(String username, String password) {
        return team().signIn(username, password);
    }

    private String token(Api session) {
        return team().token(session);
    }

    private static String csrf(String html) {
        return TeamServer.csrf(html);
    }

    private static String points(int step) {
        return "{\"points\": [{\"key\": \"loss\", \"step\": " + step + ", \"value\": 0.5}]}";
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}

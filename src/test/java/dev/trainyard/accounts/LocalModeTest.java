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

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The default: no sign-in anywhere, and therefore reachable from this machine only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalModeTest {

    @LocalServerPort
    int port;

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

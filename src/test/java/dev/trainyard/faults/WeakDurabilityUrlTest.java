package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who moves the H2 file names it by a URL of their own, without {@code WRITE_DELAY=0}.
 * SIGKILL while 8 clients log single points: every acknowledged point is still there, because
 * the application enforces its write policy whatever the URL says.
 */
class WeakDurabilityUrlTest {

    @TempDir
    Path data;

    @Test
    void aUrlWithoutWriteDelayZeroLosesNothingAcknowledged() throws Exception {
        String url = "--spring.datasource.url=jdbc:h2:file:" + data.resolve("moved") + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
        var server = new ChildServer(data).start(url);
        var loggers = new SinglePointLoggers(new Api(server.port()), 8);
        try (loggers) {
            await().atMost(Duration.ofSeconds(60)).until(() -> loggers.eachAcknowledgedAtLeast(100));
            server.kill();
        }

        server = new ChildServer(data).start(url);
        try {
            assertThat(loggers.lostOn(new Api(server.port()))).as("acknowledged points lost of %s", loggers.acknowledged()).isZero();
        } finally {
            server.stop();
        }
    }
}

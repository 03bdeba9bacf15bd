package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default under scripts that log every step, one point per request: the H2 file stays
 * within a small multiple of its live data (before H2StoreMaintenance it grew by about 15 KB per
 * request, without bound), and SIGKILL in the middle, compaction and all, loses nothing acknowledged.
 */
class BoundedH2FileTest {

    /** Points to log in all: enough for today's growth to show, little enough for CI. */
    private static final int POINTS_PER_CLIENT = 4_000;
    private static final int CLIENTS = 8;

    @TempDir
    Path data;

    @Test
    void theFileStaysWithinAFewTimesItsLiveDataAndSigkillLosesNothing() throws Exception {
        Path file = data.resolve("trainyard.mv.db");
        var server = new ChildServer(data).start();
        var largest = new AtomicLong();
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> largest.accumulateAndGet(sizeOf(file), Math::max), 0, 200, TimeUnit.MILLISECONDS);
        var loggers = new SinglePointLoggers(new Api(server.port()), CLIENTS);
        try (loggers) {
            await().atMost(Duration.ofMinutes(5)).until(() -> loggers.eachAcknowledgedAtLeast(POINTS_PER_CLIENT));
            server.kill();
        } finally {
            sampler.shutdown();
            assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        largest.accumulateAndGet(sizeOf(file), Math::max);

        server = new ChildServer(data).start();
        try {
            assertThat(loggers.lostOn(new Api(server.port()))).as("acknowledged points lost of %s", loggers.acknowledged()).isZero();
        } finally {
            server.stop();
        }
        long live = compactedSize(file);
        System.out.printf("BoundedH2FileTest: %,d points acknowledged; largest file %.1f MB, live data %.1f MB%n",
                loggers.acknowledged(), largest.get() / 1e6, live / 1e6);
        assertThat(largest.get()).as("the largest file, against %,d bytes of live data", live).isLessThan(4 * live + (8 << 20));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The live data: the file after H2 rewrote it with nothing dead in it. */
    private static long compactedSize(Path file) throws SQLException, IOException {
        String name = file.toString().replace(".mv.db", "");
        try (var connection = DriverManager.getConnection("jdbc:h2:file:" + name, "sa", "");
                var statement = connection.createStatement()) {
            statement.execute("shutdown compact");
        } catch (SQLException closedByShutdown) {
            // SHUTDOWN closes the connection under us.
        }
        return Files.size(file);
    }
}

package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import dev.trainyard.support.Postgres;
import dev.trainyard.support.TcpProxy;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database is away for longer than a lease. No owner could renew its lease meanwhile, so the
 * reaper must not requeue their jobs the moment it is back: an owner that heartbeats again keeps
 * its job, and one that stays silent for a lease after the outage loses it.
 */
@SpringBootTest(properties = {"trainyard.role=web", "trainyard.workers.lease=30s", "trainyard.workers.heartbeat-interval=5s"})
@DirtiesContext
class ReaperAfterOutageOnPostgresTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static TcpProxy database;

    @Autowired
    WorkerPool pool;
    @Autowired
    JobQueue queue;
    @Autowired
    RunManagement runs;
    @Autowired
    ShiftableClock clock;

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgresThroughAProxy(DynamicPropertyRegistry registry) {
        Postgres.register(registry, url -> {
            database = TcpProxy.inFrontOf(url);
            return database.jdbcUrl(url);
        });
    }

    @AfterAll
    static void closeProxy() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void ownersGetAFullLeaseAfterTheDatabaseIsBack() {
        String alive = claimedByAnotherNode("alive");
        String dead = claimedByAnotherNode("dead");

        database.cut();
        clock.advance(LEASE.plusSeconds(10));
        pool.reapAbandoned();
        database.restore();
        // The pool may still hold connections cut with the database; it drops them as they fail.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> state(alive) != null);
        pool.reapAbandoned();

        assertThat(state(alive)).as("silent for a lease, but only because the database was away").isEqualTo(RunState.RUNNING);
        assertThat(state(dead)).isEqualTo(RunState.RUNNING);

        assertThat(queue.heartbeat(alive, "alive")).isTrue();
        clock.advance(LEASE.plusSeconds(6));
        assertThat(queue.heartbeat(alive, "alive")).isTrue();
        pool.reapAbandoned();

        assertThat(state(alive)).as("heart-beating again").isEqualTo(RunState.RUNNING);
        assertThat(state(dead)).as("silent for a lease with the database there").isEqualTo(RunState.QUEUED);
    }

    private String claimedByAnotherNode(String node) {
        String id = runs.create(new NewRun("reaper", node, null, null, null, JobSpec.seedRnn(10, null, null, null))).getId();
        assertThat(queue.claimNext(node)).hasValueSatisfying(job -> assertThat(job.runId()).isEqualTo(id));
        return id;
    }

    private RunState state(String id) {
        return runs.get(id).getState();
    }

    /** Time that a test moves on, for leases measured in minutes without waiting for them. */
    static final class ShiftableClock extends Clock {

        private volatile Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {

        @Bean
        @Primary
        ShiftableClock shiftableClock() {
            return new ShiftableClock();
        }
    }
}

package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The queue's promise: however many claimants race, each job is claimed once. The worker pool is
 * off here, so the test's own threads are the only claimants.
 */
@SpringBootTest(properties = "trainyard.workers.count=0")
class JobQueueTest {

    @Autowired
    JobQueue queue;
    @Autowired
    RunManagement runs;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void emptyQueue() {
        jdbc.update("delete from run");
    }

    @Test
    void racingNodesClaimEachJobExactlyOnce() throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 200; i++) {
            ids.add(runs.create(new NewRun("race", null, null, null, null, new JobSpec(null, null, 1, null, null, null, null, null, null, null, null, null, null, null))).getId());
        }
        var claims = new ConcurrentHashMap<String, AtomicInteger>();
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(4);
        var done = new ArrayList<java.util.concurrent.Future<?>>();
        for (int node = 0; node < 4; node++) {
            String name = "node-" + node;
            done.add(pool.submit(() -> {
                start.await();
                for (var job = queue.claimNext(name); job.isPresent(); job = queue.claimNext(name)) {
                    claims.computeIfAbsent(job.get().runId(), k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(claims.keySet()).containsAll(ids);
        assertThat(claims.values()).allMatch(c -> c.get() == 1);
        assertThat(jdbc.queryForObject("select count(*) from run where project_id = (select id from project where slug = 'race') "
                + "and state = 'RUNNING'", Integer.class)).isEqualTo(200);
    }

    @Test
    void aNodeThatLostItsJobFindsOutAtItsNextHeartbeat() {
        String id = runs.create(new NewRun("lease", null, null, null, null, new JobSpec(null, null, 1, null, null, null, null, null, null, null, null, null, null, null))).getId();
        await().until(() -> queue.claimNext("a").filter(j -> j.runId().equals(id)).isPresent());
        assertThat(queue.heartbeat(id, "a")).isTrue();
        assertThat(queue.heartbeat(id, "b")).isFalse();

        runs.cancel(id);
        assertThat(queue.heartbeat(id, "a")).as("a cancelled job's lease is gone").isFalse();
    }

    @Test
    void abandonedJobsAreRequeuedAndGivenUpAfterMaxAttempts() {
        String id = runs.create(new NewRun("reap", null, null, null, null, new JobSpec(null, null, 1, null, null, null, null, null, null, null, null, null, null, null))).getId();
        for (int attempt = 1; attempt <= 2; attempt++) {
            await().until(() -> queue.claimNext("dead").filter(j -> j.runId().equals(id)).isPresent());
            queue.requeueAbandoned(Duration.ZERO, 2);
            assertThat(runs.get(id).getState()).isEqualTo(attempt < 2 ? RunState.QUEUED : RunState.FAILED);
        }
        assertThat(runs.get(id).getError()).contains("abandoned").contains("2 times");
    }

    @Test
    void startsHandedBackOnShutdownDoNotUseUpAttempts() {
        String id = runs.create(new NewRun("rolling", null, null, null, null, new JobSpec(null, null, 1, null, null, null, null, null, null, null, null, null, null, null))).getId();
        for (int restart = 1; restart <= 3; restart++) {
            String node = "restarting-" + restart;
            var job = await().until(() -> queue.claimNext(node).filter(j -> j.runId().equals(id)), Optional::isPresent).orElseThrow();
            queue.release(job, node);
        }
        await().until(() -> queue.claimNext("dead").filter(j -> j.runId().equals(id)).isPresent());
        queue.requeueAbandoned(Duration.ZERO, 2);
        assertThat(runs.get(id).getState()).as("abandoned once; twice is allowed").isEqualTo(RunState.QUEUED);
    }
}

package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.NotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** H2 writers that queue behind a busy one commit together, and one bad batch does not sink the others. */
@SpringBootTest(properties = "trainyard.metrics.max-keys-per-run=3")
class GroupCommitTest {

    @Autowired
    MetricStore store;
    @Autowired
    RunManagement runs;

    ExecutorService clients = Executors.newFixedThreadPool(24);
    CountDownLatch release = new CountDownLatch(1);
    List<String> runIds = new ArrayList<>();

    @BeforeEach
    void runs() {
        for (int i = 0; i < 4; i++) {
            runIds.add(runs.create(new NewRun("group-commit", "script-" + i, null, Set.of(), null, null)).getId());
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        clients.shutdownNow();
    }

    @Test
    void batchesQueuedBehindABusyWriterShareOneCommitAndAreAllStored() {
        holdTheWriter();
        long commitsBefore = store.h2Writers().commits();
        var logs = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < 20; i++) {
            String run = runIds.get(i % 4);
            long step = i / 4;
            logs.add(log(() -> store.log(run, List.of(new MetricPoint("loss", step, step * 0.5, 1_000L)))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> store.h2Writers().queued() == 20);
        assertThat(logs).noneMatch(CompletableFuture::isDone); // nothing returns before its commit

        release.countDown();

        assertThat(logs).allSatisfy(log -> assertThat(log.join()).isEqualTo(1));
        assertThat(store.h2Writers().commits() - commitsBefore).isEqualTo(1);
        for (String run : runIds) {
            History loss = store.history(run, "loss", 1000, null, null);
            assertThat(loss.total()).isEqualTo(5);
            assertThat(loss.points()).extracting(p -> p.step()).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aBadBatchInAGroupFailsAloneAndTheOthersAreStored() {
        holdTheWriter();
        var good = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < 8; i++) {
            String run = runIds.get(i % 4);
            long step = i / 4;
            good.add(log(() -> store.log(run, List.of(new MetricPoint("loss", step, 1.0, 1_000L)))));
        }
        var unknownRun = log(() -> store.log("no-such-run", List.of(new MetricPoint("loss", 0, 1.0, 1_000L))));
        String crowded = runIds.get(0);
        var tooManyKeys = log(() -> store.log(crowded, List.of(new MetricPoint("a", 0, 1.0, 1_000L),
                new MetricPoint("b", 0, 1.0, 1_000L), new MetricPoint("c", 0, 1.0, 1_000L), new MetricPoint("d", 0, 1.0, 1_000L))));
        await().atMost(Duration.ofSeconds(30)).until(() -> store.h2Writers().queued() == 10);

        release.countDown();

        assertThat(good).allSatisfy(log -> assertThat(log.join()).isEqualTo(1));
        assertThat(causeOf(unknownRun)).isInstanceOf(NotFoundException.class);
        assertThat(causeOf(tooManyKeys)).isInstanceOf(BadRequestException.class).hasMessageContaining("max-keys-per-run");
        for (String run : runIds) {
            assertThat(store.keys(run)).extracting(KeySummary::key).containsExactly("loss");
            assertThat(store.history(run, "loss", 1000, null, null).total()).isEqualTo(2);
        }
    }

    /** Takes the writer's turn on another thread until {@link #release} opens. */
    private void holdTheWriter() {
        CompletableFuture.runAsync(() -> store.h2Writers().alone(() -> {
            try {
                return release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }), clients);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.h2Writers().busy());
    }

    private CompletableFuture<Integer> log(Supplier<Integer> call) {
        return CompletableFuture.supplyAsync(call, clients);
    }

    private static Throwable causeOf(CompletableFuture<?> future) {
        try {
            future.join();
            throw new AssertionError("expected the log to fail");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}

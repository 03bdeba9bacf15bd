package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPriorityTest {

    @Test
    void aThreadLowersItsOwnPriorityAndNoOtherThreads() throws Exception {
        OptionalInt before = TrainingPriority.currentNice();

        record Outcome(boolean lowered, OptionalInt nice) {
        }
        var outcome = CompletableFuture.supplyAsync(() -> new Outcome(TrainingPriority.lowerCurrentThread(7),
                TrainingPriority.currentNice()), runnable -> new Thread(runnable, "lowered").start()).get();

        assertThat(outcome.lowered()).isTrue();
        assertThat(outcome.nice()).hasValue(7);
        assertThat(TrainingPriority.currentNice()).isEqualTo(before).hasValue(0);
    }

    @Test
    void zeroLeavesTheThreadAlone() throws Exception {
        var nice = CompletableFuture.supplyAsync(() -> TrainingPriority.lowerCurrentThread(0) ? OptionalInt.empty()
                : TrainingPriority.currentNice(), runnable -> new Thread(runnable).start()).get();

        assertThat(nice).hasValue(0);
    }

    @Test
    void readsTheNiceValueAfterACommandNameWithSpacesAndParentheses(@TempDir Path dir) throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"),
                "4242 (C2 (Compiler) 1) S 1 4242 4242 0 -1 4194368 1 0 0 0 5 6 0 0 39 19 1 0 100 0 0\n");

        assertThat(TrainingPriority.niceOf(stat)).hasValue(19);
        assertThat(TrainingPriority.niceOf(dir.resolve("missing"))).isEmpty();
    }
}

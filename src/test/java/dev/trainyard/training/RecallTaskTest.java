package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/** The delayed-recall task: what its sequences hold, how they are drawn, and what is scored. */
class RecallTaskTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 8, 64})
    void theTargetAtEachRecallStepIsTheInputExactlyNStepsBackAndNothingElseIsScored(int delay) {
        RecallTask task = new RecallTask(delay);
        int batch = 5;
        RecallTask.Batch b = task.sample(new SplittableRandom(1), batch);
        Vocabulary v = task.vocabulary();

        assertThat(task.steps()).isEqualTo(delay + RecallTask.RECALLED);
        for (int s = 0; s < batch; s++) {
            String input = task.render(b.inputs(), batch, s);
            assertThat(input).matches("[a-h]{3}-{" + (delay - 3) + "}\\?--");
            for (int t = 0; t < task.steps(); t++) {
                int row = t * batch + s;
                boolean recall = t >= delay;
                assertThat(b.scored()[row]).as("step %d scored", t).isEqualTo(recall);
                if (recall) {
                    assertThat(b.targets()[row]).isEqualTo(b.inputs()[(t - delay) * batch + s]);
                    assertThat(v.codePoint(b.targets()[row])).isBetween((int) 'a', (int) 'h');
                }
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameSequencesAndAnotherSeedOthers() {
        RecallTask task = new RecallTask(10);
        RecallTask.Batch one = task.sample(new SplittableRandom(7), 16);
        RecallTask.Batch again = task.sample(new SplittableRandom(7), 16);
        RecallTask.Batch other = task.sample(new SplittableRandom(8), 16);

        assertThat(again.inputs()).isEqualTo(one.inputs());
        assertThat(again.targets()).isEqualTo(one.targets());
        assertThat(other.inputs()).isNotEqualTo(one.inputs());
    }

    @Test
    void everyBatchIsFreshSoOneStreamCoversTheSymbolCombinationsEvenly() {
        RecallTask task = new RecallTask(5);
        SplittableRandom stream = new SplittableRandom(3);
        RecallTask.Batch first = task.sample(stream, 32);
        RecallTask.Batch second = task.sample(stream, 32);
        assertThat(second.inputs()).isNotEqualTo(first.inputs());

        Set<String> seen = new HashSet<>();
        int[] counts = new int[RecallTask.SYMBOLS.length()];
        for (int i = 0; i < 200; i++) {
            RecallTask.Batch b = task.sample(stream, 32);
            for (int s = 0; s < 32; s++) {
                String sequence = task.render(b.inputs(), 32, s);
                seen.add(sequence.substring(0, 3));
                sequence.substring(0, 3).chars().forEach(c -> counts[c - 'a']++);
            }
        }
        // 6,400 sequences over the 8³ = 512 possible: all of them, each symbol about 1/8 of the time
        assertThat(seen).hasSize(512);
        for (int count : counts) {
            assertThat(count / (200.0 * 32 * 3)).isBetween(0.11, 0.14);
        }
    }

    @Test
    void chanceIsOneInEightAndADelayOutOfRangeIsRefused() {
        assertThat(RecallTask.chance()).isEqualTo(0.125);
        assertThat(JobSpec.chanceOf("recall:16")).isEqualTo(0.125);
        assertThat(JobSpec.chanceOf("memorize:16")).isNull();
        assertThat(RecallTask.of("builtin:tales")).isNull();
        assertThat(RecallTask.of("recall:32").delay()).isEqualTo(32);
        assertThatThrownBy(() -> RecallTask.of("recall:2")).isInstanceOf(TrainingException.class).hasMessageContaining("3 to 4096");
        assertThatThrownBy(() -> RecallTask.of("recall:4097")).isInstanceOf(TrainingException.class);
    }

    /** Loss and accuracy are means over the recall steps alone: what the other steps hold or predict does not count. */
    @Test
    void onlyTheRecallStepsCountTowardsLossAndAccuracy() {
        RecallTask task = new RecallTask(4);
        int batch = 6;
        CharLmModel model = CharLmModel.initialise(CellType.GRU, task.vocabulary(), 4, 8, 1, "xent", 0, task.steps(), 5L,
                DataType.DOUBLE);
        try (CharLmTraining training = new CharLmTraining(model, task.steps(), batch)) {
            RecallTask.Batch b = task.sample(new SplittableRandom(2), batch);
            training.setBatch(b.inputs(), b.targets(), b.scored());
            CharLmTraining.Step scored = training.evaluate();
            int[] predicted = training.predictions();
            int correct = 0;
            int recall = 0;
            for (int row = 0; row < predicted.length; row++) {
                if (b.scored()[row]) {
                    recall++;
                    correct += predicted[row] == b.targets()[row] ? 1 : 0;
                }
            }
            assertThat(recall).isEqualTo(batch * RecallTask.RECALLED);
            assertThat(scored.accuracy()).isEqualTo((double) correct / recall);

            // other targets on the unscored steps change nothing
            int[] targets = b.targets().clone();
            for (int row = 0; row < targets.length; row++) {
                if (!b.scored()[row]) {
                    targets[row] = predicted[row];
                }
            }
            training.setBatch(b.inputs(), targets, b.scored());
            assertThat(training.evaluate()).isEqualTo(scored);
            // while scoring every step does
            training.setBatch(b.inputs(), targets);
            CharLmTraining.Step all = training.evaluate();
            assertThat(all.accuracy()).isNotEqualTo(scored.accuracy());
            assertThat(all.loss()).isNotEqualTo(scored.loss());
        }
    }
}

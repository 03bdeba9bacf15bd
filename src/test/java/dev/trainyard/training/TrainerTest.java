package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private final Trainer trainer = new Trainer();

    @TempDir
    Path dir;

    @Test
    void shortRunReportsEveryEpochAndLearns() {
        List<EpochMetrics> metrics = new ArrayList<>();
        Path file = dir.resolve("runs/1/model.bin");

        TrainingResult result = trainer.train(spec(60, 1L), file, metrics::add, () -> false, 1);

        assertThat(result).isEqualTo(new TrainingResult(60, false));
        assertThat(metrics).extracting(EpochMetrics::epoch)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 60).boxed().toList());
        assertThat(metrics).allSatisfy(m -> {
            assertThat(m.epochs()).isEqualTo(60);
            assertThat(m.accuracy()).isBetween(0.0, 1.0);
            assertThat(m.epochMillis()).isPositive();
            assertThat(m.loss()).isFinite().isPositive();
        });
        // mean per-step MSE starts near 1/35 (outputs near 0, one-hot targets) and must fall well below it
        assertThat(metrics.get(0).loss()).isBetween(0.01, 0.1);
        assertThat(metrics.get(59).loss()).isLessThan(metrics.get(0).loss() / 5);
        assertThat(metrics.get(59).accuracy()).isGreaterThan(metrics.get(0).accuracy());
        assertThat(file).isRegularFile();
        assertThat(dir.resolve("runs/1")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void stopRequestEndsTrainingBetweenEpochsWithoutSaving() {
        List<EpochMetrics> metrics = new ArrayList<>();
        Path file = dir.resolve("model.bin");

        TrainingResult result = trainer.train(spec(1000, 1L), file, metrics::add, () -> metrics.size() >= 5, 1);

        assertThat(result).isEqualTo(new TrainingResult(5, true));
        assertThat(metrics).hasSize(5);
        assertThat(file).doesNotExist();
    }

    @Test
    void sameSeedGivesTheSameLossCurve() {
        assertThat(losses(7L)).containsExactlyElementsOf(losses(7L)).isNotEqualTo(losses(8L));
    }

    @Test
    void unsupportedSpecFailsWithAClearMessage() {
        JobSpec transformer = new JobSpec("transformer", null, 10, null, null, null, null, null, null, null, null, null,
                null, null);
        JobSpec seedXent = new JobSpec(null, null, 10, null, null, null, null, null, "xent", null, null, null, null, null);

        assertThatThrownBy(() -> trainer.train(transformer, dir.resolve("m.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("unsupported model 'transformer'");
        assertThatThrownBy(() -> trainer.train(seedXent, dir.resolve("m.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("seed-rnn trains with the tutorial's mse loss");
    }

    @Test
    void samplesArriveEverySampleEveryEpochsAndAfterTheLastSayingWhetherTheSentenceIsReproduced() {
        List<String> samples = new ArrayList<>();
        EpochListener listener = new EpochListener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {
            }

            @Override
            public void onSample(int epoch, String text, Boolean exact) {
                samples.add(epoch + ":" + exact + ":" + text);
            }
        };
        JobSpec spec = new JobSpec(null, null, 250, null, null, null, null, null, null, null, null, 1L, null, 100);

        trainer.train(spec, dir.resolve("model.bin"), listener, () -> false, 1);

        assertThat(samples).hasSize(3);
        assertThat(samples.get(0)).matches("100:(true|false):[a-z ?!.,:;]*");
        assertThat(samples.get(2)).isEqualTo("250:true:" + SeedSentence.TEXT);
    }

    @Test
    void seedRnnMemorizesARandomString() throws Exception {
        List<EpochMetrics> metrics = new ArrayList<>();
        List<Boolean> exact = new ArrayList<>();
        EpochListener listener = new EpochListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                metrics.add(m);
            }

            @Override
            public void onSample(int epoch, String text, Boolean isExact) {
                exact.add(isExact);
            }
        };
        JobSpec spec = new JobSpec(null, "memorize:12", 300, null, null, null, null, null, null, null, null, 4L, null, 300);
        Path file = dir.resolve("memorize.bin");

        trainer.train(spec, file, listener, () -> false, 1);

        assertThat(metrics.get(299).accuracy()).isEqualTo(1.0);
        assertThat(exact).containsExactly(true);
        Generator generator = new Generator();
        try {
            assertThat(generator.generate(file, null, null, null).get()).isEqualTo(TrainingText.memorize(12, 4L));
        } finally {
            generator.destroy();
        }
    }

    @Test
    void unwritableModelFileFailsWithTrainingException() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> trainer.train(spec(2, 1L), blocker.resolve("model.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("model could not be saved");
    }

    private List<Double> losses(long seed) {
        List<Double> losses = new ArrayList<>();
        trainer.train(spec(100, seed), dir.resolve("model-" + seed + ".bin"), m -> losses.add(m.loss()), () -> false, 1);
        return losses;
    }

    static JobSpec spec(int epochs, long seed) {
        return new JobSpec(null, null, epochs, null, null, null, null, null, null, null, null, seed, null, null).withDefaults();
    }
}

package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Char-LM jobs through {@link Trainer}: datasets, options, determinism, stopping and samples. */
class CharLmTrainerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "gru", "lstm"})
    void sameSeedGivesTheSameLossCurve(String model) {
        assertThat(losses(model, 7L)).containsExactlyElementsOf(losses(model, 7L)).isNotEqualTo(losses(model, 8L));
    }

    @Test
    void builtinCorpusTrainsAndItsLossFalls() throws Exception {
        List<EpochMetrics> metrics = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        JobSpec spec = new JobSpec("gru", "builtin:tales", 80, 64, 2, 16, 0.01, null, null, 50, 4, 1L, 1.0, 40);
        Path file = dir.resolve("tales.bin");

        new Trainer().train(spec, file, listener(metrics, samples), () -> false, 1);

        // mean cross-entropy per character starts near ln(vocabulary) and must fall well below it
        double vocabulary = Vocabulary.of(Tales.text(), false).size();
        assertThat(mean(metrics.subList(0, 5))).isBetween(Math.log(vocabulary) - 0.7, Math.log(vocabulary) + 0.7);
        assertThat(mean(metrics.subList(75, 80))).isLessThan(mean(metrics.subList(0, 5)) - 1.0);
        // greedy samples of 200 characters from the corpus's first character
        assertThat(samples).hasSize(2).allSatisfy(s -> assertThat(s).matches("(?s)(40|80):null:O.{199}"));
        Generator generator = new Generator();
        try {
            assertThat(generator.generate(file, null, null, null).get(30, TimeUnit.SECONDS)).hasSize(200).startsWith("O");
            assertThat(generator.generate(file, "The fox", 30, 0.8).get(30, TimeUnit.SECONDS)).hasSize(30)
                    .startsWith("The fox");
        } finally {
            generator.destroy();
        }
    }

    @Test
    void tinyCorpusIsAGeneratedTextOfTensOfKilobytes() {
        String text = Tales.text();
        assertThat(text.length()).isBetween(40_000, 60_000);
        assertThat(text).isSameAs(Tales.text()).startsWith("Once upon a time a ");
        assertThat(Vocabulary.of(text, false).size()).isBetween(30, 60);
    }

    @Test
    void uploadedDatasetIsReadFromTheUploadsAsUtf8() throws Exception {
        Path upload = Files.writeString(dir.resolve("upload.txt"), "Grüße, ça va? ".repeat(40));
        UploadedTexts uploads = id -> id.equals("abc123") ? Optional.of(upload) : Optional.empty();
        List<EpochMetrics> metrics = new ArrayList<>();
        Path file = dir.resolve("upload.bin");
        JobSpec spec = new JobSpec("lstm", "dataset:abc123", 30, 32, null, 8, 0.01, null, null, 30, 2, 1L, null, null);

        new Trainer(() -> uploads).train(spec, file, metrics::add, () -> false, 1);

        assertThat(metrics).hasSize(30);
        Generator generator = new Generator();
        try {
            assertThat(generator.generate(file, "Grü", 12, null).get(30, TimeUnit.SECONDS)).hasSize(12).startsWith("Grü")
                    .matches("[Grüße,çav? ]*");
        } finally {
            generator.destroy();
        }
    }

    @Test
    void unknownUploadFailsWithTrainingException() {
        JobSpec spec = JobSpec.charLm("gru", "dataset:nope42", 5);
        UploadedTexts none = id -> Optional.empty();

        assertThatThrownBy(() -> new Trainer(() -> none).train(spec, dir.resolve("m.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessage("dataset nope42 does not exist");
        // without the datasets feature at all
        assertThatThrownBy(() -> new Trainer().train(spec, dir.resolve("m.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessage("dataset nope42 does not exist");
        assertThatThrownBy(() -> new Trainer().train(JobSpec.charLm("gru", "builtin:sagas", 5), dir.resolve("m.bin"),
                m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("unknown builtin dataset 'builtin:sagas'");
    }

    @Test
    void stopRequestEndsTrainingBetweenEpochsWithoutSaving() {
        List<EpochMetrics> metrics = new ArrayList<>();
        Path file = dir.resolve("stopped.bin");

        TrainingResult result = new Trainer().train(JobSpec.charLm("lstm", "builtin:tales", 1000), file, metrics::add,
                () -> metrics.size() >= 3, 1);

        assertThat(result).isEqualTo(new TrainingResult(3, true));
        assertThat(metrics).hasSize(3);
        assertThat(file).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "rmsprop", "adam"})
    void everyOptimizerLearnsAShortString(String optimizer) {
        List<EpochMetrics> metrics = new ArrayList<>();
        double rate = "sgd".equals(optimizer) ? 1.0 : 0.01;
        JobSpec spec = new JobSpec("gru", "memorize:8", 150, 32, null, 16, rate, optimizer, null, null, null, 3L, 5.0, null);

        new Trainer().train(spec, dir.resolve(optimizer + ".bin"), metrics::add, () -> false, 1);

        assertThat(metrics.get(149).accuracy()).isEqualTo(1.0);
        assertThat(metrics.get(149).loss()).isLessThan(metrics.get(0).loss() / 10);
    }

    @Test
    void mseLossTrainsToo() {
        List<EpochMetrics> metrics = new ArrayList<>();
        JobSpec spec = new JobSpec("rnn", "seed-sentence", 300, 64, null, 16, 0.01, null, "mse", null, null, 1L, null, null);

        new Trainer().train(spec, dir.resolve("mse.bin"), metrics::add, () -> false, 1);

        assertThat(metrics.get(0).loss()).isBetween(0.01, 2.0);
        assertThat(metrics.get(299).accuracy()).isEqualTo(1.0);
    }

    @Test
    void clippingBoundsTheGlobalGradientNorm() {
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        INDArray gradient = Nd4j.createFromArray(new double[][] {{3, 4, 0, 0}}); // norm 5
        try (Optimizer sgd = new Optimizer("sgd", 1.0, 0.5, params, gradient)) {
            sgd.step();
        }
        assertThat(params.toDoubleVector()).containsExactly(new double[] {-0.3, -0.4, 0, 0}, within(1e-12));

        INDArray small = Nd4j.createFromArray(new double[][] {{0.03, 0.04, 0, 0}}); // norm 0.05: untouched
        INDArray at = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        try (Optimizer sgd = new Optimizer("sgd", 1.0, 0.5, at, small)) {
            sgd.step();
        }
        assertThat(at.toDoubleVector()).containsExactly(new double[] {-0.03, -0.04, 0, 0}, within(1e-12));
    }

    @Test
    void oversizedJobFailsBeforeAllocating() {
        JobSpec spec = new JobSpec("lstm", "builtin:tales", 1, 1024, 4, 512, null, null, null, 10_000, 1024, 1L, null, null);

        assertThatThrownBy(() -> new Trainer().train(spec, dir.resolve("m.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("the job is too large");
    }

    @Test
    void tooLongASequenceForItsLayersFailsBeforeBinding() {
        JobSpec spec = new JobSpec("gru", "builtin:tales", 1, 16, 4, 8, null, null, null, 10_000, 1, 1L, null, null);

        assertThatThrownBy(() -> new Trainer().train(spec, dir.resolve("m.bin"), m -> { }, () -> false, 1))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("the sequence is too long for 4 gru layer(s)");
    }

    @Test
    void memorizeStringsComeFromTheSeed() {
        assertThat(TrainingText.memorize(16, 1L)).matches("[a-z]{16}").isEqualTo(TrainingText.memorize(16, 1L))
                .isNotEqualTo(TrainingText.memorize(16, 2L));
        assertThat(TrainingText.memorize(4096, 9L)).hasSize(4096);
    }

    private List<Double> losses(String model, long seed) {
        List<Double> losses = new ArrayList<>();
        JobSpec spec = new JobSpec(model, "builtin:tales", 12, 24, 2, 8, 0.01, "rmsprop", null, 40, 3, seed, 1.0, null);
        new Trainer().train(spec, dir.resolve(model + seed + ".bin"), m -> losses.add(m.loss()), () -> false, 1);
        return losses;
    }

    private static double mean(List<EpochMetrics> metrics) {
        return metrics.stream().mapToDouble(EpochMetrics::loss).average().orElseThrow();
    }

    private static EpochListener listener(List<EpochMetrics> metrics, List<String> samples) {
        return new EpochListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                metrics.add(m);
            }

            @Override
            public void onSample(int epoch, String text, Boolean exact) {
                samples.add(epoch + ":" + exact + ":" + text);
            }
        };
    }

}

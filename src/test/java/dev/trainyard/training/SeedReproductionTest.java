package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acceptance criterion: the default job reproduces the seed sentence when generated greedily. */
class SeedReproductionTest {

    private static final String SENTENCE = "hello pytorch. how long can a rnn cell remember?";

    @TempDir
    static Path dir;
    static Path model;
    static List<EpochMetrics> metrics = new ArrayList<>();
    static Generator generator = new Generator();

    @BeforeAll
    static void trainDefaultJob() {
        model = dir.resolve("seed.bin");
        JobSpec defaults = new JobSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null).withDefaults();
        TrainingResult result = new Trainer().train(defaults, model, metrics::add, () -> false, 1);
        assertThat(result).isEqualTo(new TrainingResult(1000, false));
    }

    @AfterAll
    static void stopGenerator() throws InterruptedException {
        generator.destroy();
    }

    @Test
    void greedyGenerationReproducesTheSentence() throws Exception {
        assertThat(generate(null, null, null)).isEqualTo(SENTENCE);
        assertThat(metrics.get(999).accuracy()).isEqualTo(1.0);
        assertThat(metrics.get(999).loss()).isLessThan(1e-3);
    }

    @Test
    void primeIsFedThenContinued() throws Exception {
        assertThat(generate("hello", null, null)).isEqualTo(SENTENCE);
        assertThat(generate("how", 10, 0.0)).hasSize(10).startsWith("how");
    }

    @Test
    void lowTemperatureSamplesTheSentenceAndHighTemperatureStaysInTheAlphabet() throws Exception {
        assertThat(generate(null, null, 0.001)).isEqualTo(SENTENCE);
        assertThat(generate(null, 200, 5.0)).hasSizeLessThanOrEqualTo(200).matches("[a-z ?!.,:;1]*");
    }

    @Test
    void primeOutsideTheAlphabetFails() {
        assertThatThrownBy(() -> generate("Hello", null, null))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'H' at index 0");
    }

    @Test
    void markersAreNotText() {
        assertThatThrownBy(() -> generate("he0", null, null)).cause().isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingModelFails() {
        assertThatThrownBy(() -> generator.generate(dir.resolve("absent.bin"), null, null, null).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void lengthShorterThanThePrimeFails() {
        assertThatThrownBy(() -> generate("hello", 3, null)).cause().isInstanceOf(IllegalArgumentException.class);
    }

    private static String generate(String prime, Integer length, Double temperature) throws Exception {
        return generator.generate(model, prime, length, temperature).get(30, TimeUnit.SECONDS);
    }
}

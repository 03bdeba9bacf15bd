package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acceptance criterion for the char-LMs: with every default (500 epochs, hidden 100, embedding 70,
 * Adam 0.002), each model learns {@code memorize:16} to full teacher-forced accuracy, says so in its
 * samples, and generates the string back; then generation's prime, length and temperature.
 */
class CharLmJobTest {

    private static final long SEED = 1L;
    private static final String TARGET = TrainingText.memorize(16, SEED);

    @TempDir
    static Path dir;
    static final Map<CellType, Job> jobs = new EnumMap<>(CellType.class);
    static final Generator generator = new Generator();

    /** What one training job reported. */
    record Job(Path file, List<EpochMetrics> epochs, List<String> samples) {
    }

    @BeforeAll
    static void trainEachModelWithDefaults() {
        for (CellType cell : CellType.values()) {
            Job job = new Job(dir.resolve(cell.id + ".bin"), new ArrayList<>(), new ArrayList<>());
            EpochListener listener = new EpochListener() {
                @Override
                public void onEpoch(EpochMetrics metrics) {
                    job.epochs().add(metrics);
                }

                @Override
                public void onSample(int epoch, String text, Boolean exact) {
                    job.samples().add(epoch + ":" + exact + ":" + text);
                }
            };
            JobSpec spec = new JobSpec(cell.id, "memorize:16", null, null, null, null, null, null, null, null, null, SEED,
                    null, null);
            assertThat(new Trainer().train(spec, job.file(), listener, () -> false, 1)).isEqualTo(new TrainingResult(500, false));
            jobs.put(cell, job);
        }
    }

    @AfterAll
    static void stopGenerator() throws InterruptedException {
        generator.destroy();
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void learnsMemorize16ToFullAccuracyWithinItsDefaultEpochs(CellType cell) {
        List<EpochMetrics> epochs = jobs.get(cell).epochs();
        assertThat(epochs).hasSize(500);
        assertThat(epochs.get(499).accuracy()).isEqualTo(1.0);
        // mean cross-entropy per character: ln(18) ≈ 2.9 at the start (16 letters at most, 2 markers)
        assertThat(epochs.get(0).loss()).isBetween(1.5, 5.0);
        assertThat(epochs.get(499).loss()).isLessThan(0.01);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void samplesComeEvery50EpochsAndTheLastReproducesTheString(CellType cell) {
        List<String> samples = jobs.get(cell).samples();
        assertThat(samples).hasSize(10);
        assertThat(samples.get(0)).startsWith("50:");
        assertThat(samples.get(9)).isEqualTo("500:true:" + TARGET);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void greedyGenerationFromTheStartMarkerReproducesTheString(CellType cell) throws Exception {
        assertThat(generate(cell, null, null, null)).isEqualTo(TARGET);
        assertThat(generate(cell, "", null, 0.0)).isEqualTo(TARGET);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void primeIsFedThenContinuedUpToTheLength(CellType cell) throws Exception {
        assertThat(generate(cell, TARGET.substring(0, 5), null, null)).isEqualTo(TARGET);
        assertThat(generate(cell, TARGET.substring(0, 3), 7, 0.0)).isEqualTo(TARGET.substring(0, 7));
        assertThat(generate(cell, TARGET.substring(0, 3), 3, null)).isEqualTo(TARGET.substring(0, 3));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void temperatureSamples(CellType cell) throws Exception {
        assertThat(generate(cell, null, null, 0.01)).isEqualTo(TARGET);
        String letters = "[" + TARGET.chars().distinct().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append) + "]*";
        for (int i = 0; i < 5; i++) {
            assertThat(generate(cell, null, 40, 50.0)).hasSizeLessThanOrEqualTo(40).matches(letters);
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void primeOutsideTheVocabularyFails(CellType cell) {
        char absent = 'a';
        while (TARGET.indexOf(absent) >= 0) {
            absent++;
        }
        String prime = TARGET.substring(0, 2) + absent;
        assertThatThrownBy(() -> generate(cell, prime, null, null))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + absent + "' at index 2");
        assertThatThrownBy(() -> generate(cell, "A", null, null)).cause().isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generate(cell, TARGET.substring(0, 5), 4, null)).cause()
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theModelFileRecordsItsType(CellType cell) throws Exception {
        TextModel model = ModelFile.read(jobs.get(cell).file());
        assertThat(model).isInstanceOf(CharLmModel.class);
        assertThat(((CharLmModel) model).cell).isEqualTo(cell);
    }

    private static String generate(CellType cell, String prime, Integer length, Double temperature) throws Exception {
        return generator.generate(jobs.get(cell).file(), prime, length, temperature).get(30, TimeUnit.SECONDS);
    }
}

package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * seed-rnn's {@code grad_norm/k=…}: dLoss/dh_{T-1-k} as {@link SeedRnnTraining} rebuilds it from its
 * hand-written backward pass, against central differences of the tutorial's summed MSE with h_{T-1-k}
 * itself perturbed, in a plain-Java forward pass of the same cell (checked first against the model's own
 * loss). Criterion as in {@link HiddenGradientTest}: relative error below 1e-5.
 */
class SeedRnnHiddenGradientTest {

    private static final int[] DISTANCES = {0, 1, 4, 16, 32};

    @Test
    void hiddenStateGradientsMatchFiniteDifferences() {
        SeedRnnModel model = SeedRnnModel.initialise(SeedSentence.SYMBOLS, 12, SeedSentence.TEXT.length(), 3L, DataType.DOUBLE);
        try (SeedRnnTraining training = new SeedRnnTraining(model, SeedSentence.symbols(), "adam", 0.01, null, DISTANCES)) {
            training.fitOnce(); // away from the initial point, as SeedRnnGradientTest does
            training.fitOnce();
            double summed = training.computeGradient().loss() * training.steps();
            Reference reference = new Reference(model, SeedSentence.symbols());

            assertThat(reference.loss(-1, 0, 0)).as("the reference forward pass").isCloseTo(summed, within(1e-10));
            double[] norms = training.hiddenGradientNorms();
            for (int i = 0; i < DISTANCES.length; i++) {
                int t = training.steps() - 1 - DISTANCES[i];
                INDArray analytic = training.hiddenGradient(i);
                double squares = 0;
                for (int j = 0; j < model.hidden; j++) {
                    double epsilon = 1e-5;
                    double numeric = (reference.loss(t, j, epsilon) - reference.loss(t, j, -epsilon)) / (2 * epsilon);
                    double a = analytic.getDouble(0, j);
                    squares += a * a;
                    double error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-300);
                    assertThat(error < 1e-5 || Math.abs(a - numeric) < 1e-9)
                            .as("k=%d h[%d]: analytic %s, numeric %s", DISTANCES[i], j, a, numeric).isTrue();
                }
                assertThat(norms[i]).isCloseTo(Math.sqrt(squares), within(1e-12));
            }
        }
    }

    /** The check can fail: the gradient of the step next to the one asked for is not taken for it. */
    @Test
    void theNeighbouringStepsGradientIsCaught() {
        SeedRnnModel model = SeedRnnModel.initialise(SeedSentence.SYMBOLS, 12, SeedSentence.TEXT.length(), 3L, DataType.DOUBLE);
        try (SeedRnnTraining training = new SeedRnnTraining(model, SeedSentence.symbols(), "adam", 0.01, null, new int[] {2})) {
            training.computeGradient();
            Reference reference = new Reference(model, SeedSentence.symbols());
            int wrongT = training.steps() - 1 - 3;
            double epsilon = 1e-5;
            double numeric = (reference.loss(wrongT, 0, epsilon) - reference.loss(wrongT, 0, -epsilon)) / (2 * epsilon);
            assertThat(Math.abs(training.hiddenGradient(0).getDouble(0, 0) - numeric)).isGreaterThan(1e-7);
        }
    }

    /** A seed-rnn job logs grad_norm/k=… for powers of two below its 49 steps, on its first and last step among others. */
    @Test
    void aSeedRnnJobLogsHiddenGradientNorms(@TempDir Path dir) {
        List<EpochMetrics> epochs = new ArrayList<>();
        new Trainer().train(JobSpec.seedRnn(100, null, null, null), dir.resolve("seed.bin"), new EpochListener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {
                epochs.add(metrics);
            }

            @Override
            public void onSample(int epoch, String text, Boolean exact) {
            }
        }, () -> false, 1);

        List<String> keys = List.of("grad_norm/k=1", "grad_norm/k=2", "grad_norm/k=4", "grad_norm/k=8", "grad_norm/k=16",
                "grad_norm/k=32");
        assertThat(epochs.get(0).extra().keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(epochs.get(epochs.size() - 1).extra().keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(epochs.stream().filter(e -> !e.extra().isEmpty()).count()).as("steps that log them").isBetween(40L, 60L);
        assertThat(epochs.get(0).extra().values()).allSatisfy(v -> assertThat(v).isPositive().isFinite());
    }

    /** The tutorial's cell in plain Java doubles: the summed MSE, with epsilon added to h_t[j] (t = -1: none). */
    private static final class Reference {

        private final double[][] wi;
        private final double[][] wh;
        private final double[] bi;
        private final double[] bh;
        private final double[][] wo;
        private final double[] bo;
        private final int[] symbols;
        private final int n;

        Reference(SeedRnnModel model, int[] symbols) {
            SeedRnnModel.Views p = model.views;
            wi = p.wi().toDoubleMatrix();
            wh = p.wh().toDoubleMatrix();
            bi = p.bi().toDoubleVector();
            bh = p.bh().toDoubleVector();
            wo = p.wo().toDoubleMatrix();
            bo = p.bo().toDoubleVector();
            this.symbols = symbols;
            this.n = model.symbols;
        }

        double loss(int perturbedT, int perturbedJ, double epsilon) {
            int h = wh.length;
            double[] state = new double[h];
            double total = 0;
            for (int t = 0; t < symbols.length - 1; t++) {
                double[] next = new double[h];
                for (int j = 0; j < h; j++) {
                    double z = wi[symbols[t]][j] + bi[j] + bh[j];
                    for (int i = 0; i < h; i++) {
                        z += state[i] * wh[i][j];
                    }
                    next[j] = Math.tanh(z);
                }
                if (t == perturbedT) {
                    next[perturbedJ] += epsilon;
                }
                state = next;
                for (int k = 0; k < n; k++) {
                    double o = bo[k];
                    for (int j = 0; j < h; j++) {
                        o += state[j] * wo[j][k];
                    }
                    double d = o - (k == symbols[t + 1] ? 1 : 0);
                    total += d * d / n;
                }
            }
            return total;
        }
    }
}

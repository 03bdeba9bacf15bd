package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hidden-state gradients behind {@code grad_norm/k=…}: dLoss/dh_{T-1-k} as the hand-written backward
 * pass leaves it, against central differences of the loss with h_{T-1-k} itself perturbed. The trained
 * model's ops cannot be stopped half-way through a sequence (the LSTM is one fused op), so the loss is
 * re-computed by a plain-Java forward pass of the same cell; that it agrees with the model's own loss
 * is checked first. Criterion as in {@link CharLmGradientTest}: relative error below 1e-5.
 */
class HiddenGradientTest {

    private static final int BATCH = 2;
    private static final int[] DISTANCES = {1, 2, 4};

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "gru", "lstm"})
    void hiddenStateGradientsMatchFiniteDifferencesOnTheRecallSteps(String cell) {
        RecallTask task = new RecallTask(4);
        CharLmModel model = CharLmModel.initialise(CellType.of(cell), task.vocabulary(), 3, 5, 1, "xent", 0, task.steps(),
                9L, DataType.DOUBLE);
        try (CharLmTraining training = new CharLmTraining(model, task.steps(), BATCH, DISTANCES)) {
            RecallTask.Batch batch = task.sample(new SplittableRandom(4), BATCH);
            training.setBatch(batch.inputs(), batch.targets(), batch.scored());
            double loss = training.computeGradient().loss();
            Reference reference = new Reference(model, batch);

            assertThat(reference.loss(-1, 0, 0, 0)).as("the reference forward pass").isCloseTo(loss, within(1e-10));
            double[] norms = training.hiddenGradientNorms();
            for (int i = 0; i < DISTANCES.length; i++) {
                int t = task.steps() - 1 - DISTANCES[i];
                INDArray analytic = training.hiddenGradient(i);
                double squares = 0;
                for (int b = 0; b < BATCH; b++) {
                    for (int j = 0; j < model.hidden; j++) {
                        double epsilon = 1e-5;
                        double numeric = (reference.loss(t, b, j, epsilon) - reference.loss(t, b, j, -epsilon)) / (2 * epsilon);
                        double a = analytic.getDouble(b, j);
                        squares += a * a;
                        double error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-300);
                        assertThat(error < 1e-5 || Math.abs(a - numeric) < 1e-9)
                                .as("%s k=%d h[%d][%d]: analytic %s, numeric %s", cell, DISTANCES[i], b, j, a, numeric).isTrue();
                    }
                }
                assertThat(norms[i]).isCloseTo(Math.sqrt(squares), within(1e-12));
            }
        }
    }

    /** The check can fail: the gradient of the step next to the one asked for is not taken for it. */
    @Test
    void theNeighbouringStepsGradientIsCaught() {
        RecallTask task = new RecallTask(4);
        CharLmModel model = CharLmModel.initialise(CellType.RNN, task.vocabulary(), 3, 5, 1, "xent", 0, task.steps(), 9L,
                DataType.DOUBLE);
        try (CharLmTraining training = new CharLmTraining(model, task.steps(), BATCH, new int[] {2})) {
            RecallTask.Batch batch = task.sample(new SplittableRandom(4), BATCH);
            training.setBatch(batch.inputs(), batch.targets(), batch.scored());
            training.computeGradient();
            Reference reference = new Reference(model, batch);
            int wrongT = task.steps() - 1 - 3;
            double epsilon = 1e-5;
            double numeric = (reference.loss(wrongT, 0, 0, epsilon) - reference.loss(wrongT, 0, 0, -epsilon)) / (2 * epsilon);
            assertThat(Math.abs(training.hiddenGradient(0).getDouble(0, 0) - numeric)).isGreaterThan(1e-7);
        }
    }

    /** One layer of the model's cell in plain Java doubles, with h_t perturbed at one element. */
    private static final class Reference {

        private final CharLmModel model;
        private final RecallTask.Batch batch;
        private final double[][] embedding;
        private final double[][] wx;
        private final double[][] wh;
        private final double[] bias;
        private final double[][] wo;
        private final double[] bo;

        Reference(CharLmModel model, RecallTask.Batch batch) {
            this.model = model;
            this.batch = batch;
            CharLmModel.Views p = model.views;
            embedding = p.embedding().toDoubleMatrix();
            wx = p.layers().get(0).wx().toDoubleMatrix();
            wh = p.layers().get(0).wh().toDoubleMatrix();
            bias = p.layers().get(0).bRow().toDoubleVector();
            wo = p.wo().toDoubleMatrix();
            bo = p.bo().toDoubleVector();
        }

        /** The mean cross-entropy over the scored rows, with epsilon added to h_t[b][j] (t = -1: none). */
        double loss(int perturbedT, int perturbedB, int perturbedJ, double epsilon) {
            int h = model.hidden;
            int steps = batch.inputs().length / BATCH;
            double total = 0;
            int counted = 0;
            for (int b = 0; b < BATCH; b++) {
                double[] state = new double[h];
                double[] cell = new double[h];
                for (int t = 0; t < steps; t++) {
                    int row = t * BATCH + b;
                    double[] zx = add(times(embedding[batch.inputs()[row]], wx), bias);
                    double[] zh = times(state, wh);
                    double[] next = new double[h];
                    switch (model.cell) {
                        case RNN -> {
                            for (int j = 0; j < h; j++) {
                                next[j] = Math.tanh(zx[j] + zh[j]);
                            }
                        }
                        case GRU -> {
                            for (int j = 0; j < h; j++) {
                                double r = sigmoid(zx[j] + zh[j]);
                                double u = sigmoid(zx[h + j] + zh[h + j]);
                                double c = Math.tanh(zx[2 * h + j] + r * zh[2 * h + j]);
                                next[j] = c + u * (state[j] - c);
                            }
                        }
                        case LSTM -> {
                            for (int j = 0; j < h; j++) { // gates [i, g, f, o]
                                double i = sigmoid(zx[j] + zh[j]);
                                double g = Math.tanh(zx[h + j] + zh[h + j]);
                                double f = sigmoid(zx[2 * h + j] + zh[2 * h + j]);
                                double o = sigmoid(zx[3 * h + j] + zh[3 * h + j]);
                                cell[j] = f * cell[j] + i * g;
                                next[j] = o * Math.tanh(cell[j]);
                            }
                        }
                    }
                    if (t == perturbedT && b == perturbedB) {
                        next[perturbedJ] += epsilon;
                    }
                    state = next;
                    if (batch.scored()[row]) {
                        double[] logits = add(times(state, wo), bo);
                        double max = Double.NEGATIVE_INFINITY;
                        for (double l : logits) {
                            max = Math.max(max, l);
                        }
                        double sum = 0;
                        for (double l : logits) {
                            sum += Math.exp(l - max);
                        }
                        total += max + Math.log(sum) - logits[batch.targets()[row]];
                        counted++;
                    }
                }
            }
            return total / counted;
        }

        private static double[] times(double[] x, double[][] w) {
            double[] out = new double[w[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < out.length; j++) {
                    out[j] += x[i] * w[i][j];
                }
            }
            return out;
        }

        private static double[] add(double[] a, double[] b) {
            double[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += b[i];
            }
            return out;
        }

        private static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    }
}

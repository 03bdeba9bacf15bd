package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-derived backward passes of the char-LMs against central differences of the full model's
 * mean loss, in double precision, over every parameter: embedding, each layer's weights and biases,
 * the output layer. Not DL4J's GradientCheckUtil or SameDiff's GradCheckUtil: those check a
 * MultiLayerNetwork, ComputationGraph or SameDiff graph, and these models are neither; they replay
 * bound libnd4j ops whose backward is written by hand, and that code is what must be checked. The
 * pass criterion is GradientCheckUtil's: relative error |a - n| / (|a| + |n|) below 1e-5, except
 * where the absolute error is below 1e-9 (round-off of the central difference on a tiny gradient:
 * it scales with 1/epsilon, which a wrong gradient does not).
 */
class CharLmGradientTest {

    private static final String TEXT = "abacbdcadbbcaadc"; // 4 symbols: every batch repeats them

    @ParameterizedTest(name = "{0}, {1} layers, {2}, batch {3}")
    @CsvSource({
            "rnn, 2, xent, 3",
            "gru, 2, xent, 3",
            "lstm, 2, xent, 3",
            "rnn, 1, mse, 1",
            "gru, 1, mse, 1",
            "lstm, 1, mse, 2"})
    void gradientMatchesFiniteDifferences(String cell, int layers, String loss, int batch) {
        CharLmModel model = model(cell, layers, loss);
        try (CharLmTraining training = new CharLmTraining(model, 7, batch);
                Optimizer adam = new Optimizer("adam", 0.05, null, model.params, training.gradient())) {
            randomBatch(training, model.vocabulary.size(), 11L);
            for (int i = 0; i < 3; i++) { // move away from the initial point so no gradient is trivially small
                training.computeGradient();
                adam.step();
            }
            training.computeGradient();
            INDArray analytic = training.gradient().dup();

            assertThat(worstRelativeError(training, analytic)).as("worst relative error over %d parameters",
                    model.params.length()).isLessThan(1e-5);
        }
    }

    /** The check itself must be able to fail: one wrong gradient entry among hundreds is caught. */
    @Test
    void aWrongGradientEntryIsCaught() {
        CharLmModel model = model("gru", 1, "xent");
        try (CharLmTraining training = new CharLmTraining(model, 5, 2)) {
            randomBatch(training, model.vocabulary.size(), 3L);
            training.computeGradient();
            INDArray analytic = training.gradient().dup();
            INDArray wh = model.views.layers().get(0).wh();
            INDArray gradientWh = CharLmModel.Views.of(analytic, model.cell, model.vocabulary.size(), model.embedding,
                    model.hidden, model.layers).layers().get(0).wh();
            long largest = gradientWh.reshape(wh.length()).argMax().getLong(0);
            gradientWh.reshape(wh.length()).putScalar(largest, gradientWh.reshape(wh.length()).getDouble(largest) * 1.01);

            assertThat(worstRelativeError(training, analytic)).isGreaterThan(1e-3);
        }
    }

    static double worstRelativeError(CharLmTraining training, INDArray analytic) {
        INDArray params = training.model().params;
        double epsilon = 1e-5;
        double worst = 0;
        for (long i = 0; i < params.length(); i++) {
            double original = params.getDouble(0, i);
            params.putScalar(0, i, original + epsilon);
            double plus = training.evaluate().loss();
            params.putScalar(0, i, original - epsilon);
            double minus = training.evaluate().loss();
            params.putScalar(0, i, original);
            double numeric = (plus - minus) / (2 * epsilon);
            double exact = analytic.getDouble(0, i);
            double absolute = Math.abs(numeric - exact);
            if (absolute > 1e-9) {
                worst = Math.max(worst, absolute / (Math.abs(numeric) + Math.abs(exact)));
            }
        }
        return worst;
    }

    private static CharLmModel model(String cell, int layers, String loss) {
        Vocabulary vocabulary = Vocabulary.of(TEXT, false);
        return CharLmModel.initialise(CellType.of(cell), vocabulary, 3, 4, layers, loss, 0, 10, 5L, DataType.DOUBLE);
    }

    private static void randomBatch(CharLmTraining training, int symbols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = training.steps() * training.batch();
        int[] inputs = random.ints(rows, 0, symbols).toArray();
        int[] targets = random.ints(rows, 0, symbols).toArray();
        training.setBatch(inputs, targets);
    }
}

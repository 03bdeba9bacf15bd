package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The hand-derived backward pass against central differences, in double precision. */
class SeedRnnGradientTest {

    @Test
    void gradientMatchesFiniteDifferences() {
        SeedRnnModel model = SeedRnnModel.initialise(SeedSentence.SYMBOLS, 12, SeedSentence.TEXT.length(), 3L, DataType.DOUBLE);
        try (SeedRnnTraining training = new SeedRnnTraining(model, 0.01)) {
            training.fitOnce(); // move away from the initial point so no gradient is trivially zero
            training.fitOnce();
            training.computeGradient();
            INDArray analytic = training.gradient().dup();
            INDArray params = model.params;
            double epsilon = 1e-6;
            double worst = 0;
            for (long i = 0; i < params.length(); i++) {
                double original = params.getDouble(0, i);
                params.putScalar(0, i, original + epsilon);
                double plus = training.summedLoss();
                params.putScalar(0, i, original - epsilon);
                double minus = training.summedLoss();
                params.putScalar(0, i, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double exact = analytic.getDouble(0, i);
                double error = Math.abs(numeric - exact) / Math.max(1e-6, Math.abs(numeric) + Math.abs(exact));
                worst = Math.max(worst, error);
            }
            assertThat(worst).as("worst relative error over %d parameters", params.length()).isLessThan(1e-5);
        }
    }
}

package dev.trainyard.sweeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Per model: mean ± std over seeds at each length, and the first length below halfway between chance and 1. */
class SweepCurvesTest {

    @Test
    void theFallOffIsTheFirstLengthWhoseMeanIsBelowHalfwayFromChanceToOne() {
        List<Sweep.Curve> curves = SweepManagement.curves(List.of(
                row("rnn", 4, 1, 1.0), row("rnn", 4, 2, 0.9), row("rnn", 8, 1, 0.6), row("rnn", 8, 2, 0.5),
                row("rnn", 16, 1, 0.125), row("lstm", 4, 1, 1.0), row("lstm", 8, 1, 0.99), row("lstm", 16, 1, null)), 0.125);

        assertThat(curves).extracting(Sweep.Curve::model).containsExactly("rnn", "lstm");
        Sweep.Curve rnn = curves.get(0);
        // halfway is 0.5625: 8's mean of 0.55 is below it
        assertThat(rnn.fallOff()).isEqualTo(8);
        assertThat(rnn.points()).extracting(Sweep.Point::length).containsExactly(4, 8, 16);
        assertThat(rnn.points().get(0).mean()).isCloseTo(0.95, within(1e-12));
        assertThat(rnn.points().get(0).std()).isCloseTo(0.05, within(1e-12));
        assertThat(rnn.points().get(0).runs()).isEqualTo(2);
        // a run with no accuracy yet is not a point; a model that never falls has none
        Sweep.Curve lstm = curves.get(1);
        assertThat(lstm.points()).hasSize(2);
        assertThat(lstm.fallOff()).isNull();
    }

    @Test
    void withoutAKnownChanceHalfwayIsAHalf() {
        assertThat(SweepManagement.curves(List.of(row("gru", 8, 1, 0.51), row("gru", 16, 1, 0.49)), null).get(0).fallOff())
                .isEqualTo(16);
    }

    private static Sweep.Row row(String model, int length, long seed, Double accuracy) {
        return new Sweep.Row("r", "n", model, "recall:" + length, length, seed, null, "FINISHED", accuracy, 1.0, null);
    }
}

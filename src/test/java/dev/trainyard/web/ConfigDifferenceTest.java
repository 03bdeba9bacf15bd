package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigDifferenceTest {

    @Test
    void keepsOnlyDifferingKeysCountsAMissingKeyAsADifferenceAndMarksValuesOffTheMostCommon() {
        var diff = ConfigDifference.of(List.of(
                Map.of("lr", 0.01, "model", "lstm", "layers", 2),
                Map.of("lr", 0.01, "model", "lstm", "layers", 2, "dropout", 0.1),
                Map.of("lr", 0.1, "model", "lstm", "layers", 2.0)), String::valueOf);

        assertThat(diff.keys()).containsExactlyInAnyOrder("lr", "dropout");
        assertThat(diff.same()).isEqualTo(2);
        int lr = diff.keys().indexOf("lr");
        int dropout = diff.keys().indexOf("dropout");
        assertThat(diff.rows()).extracting(r -> r.cells().get(lr).odd()).containsExactly(false, false, true);
        // two of three lack dropout: the one that sets it stands out
        assertThat(diff.rows()).extracting(r -> r.cells().get(dropout).text()).containsExactly(null, "0.1", null);
        assertThat(diff.rows()).extracting(r -> r.cells().get(dropout).odd()).containsExactly(false, true, false);
    }

    @Test
    void twoRunsThatDifferHighlightTheSecondNotBoth() {
        var diff = ConfigDifference.of(List.of(Map.of("seed", 1), Map.of("seed", 2)), String::valueOf);

        assertThat(diff.rows()).extracting(r -> r.cells().get(0).odd()).containsExactly(false, true);
    }
}

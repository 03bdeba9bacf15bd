package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.trainyard.mlflow.MlflowFilter.Kind;
import dev.trainyard.mlflow.MlflowFilter.Op;
import org.junit.jupiter.api.Test;

class MlflowFilterTest {

    private static final Map<String, Object> RUN = Map.of("METRIC:loss", 0.25, "METRIC:val loss", 0.5, "PARAM:cell", "lstm",
            "TAG:mlflow.user", "Alice", "ATTRIBUTE:status", "FINISHED", "ATTRIBUTE:start_time", 1000.0);

    private static boolean matches(String filter) {
        return MlflowFilter.parse(filter).matches(c -> RUN.get(c.kind() + ":" + c.key()));
    }

    @Test
    void clausesJoinedByAndOnEveryEntity() {
        assertThat(matches("metrics.loss < 0.3 AND params.cell = 'lstm' and tags.\"mlflow.user\" ILIKE 'al%'")).isTrue();
        assertThat(matches("metrics.`val loss` >= 0.5 and attributes.status != 'RUNNING'")).isTrue();
        assertThat(matches("attributes.start_time > 999 and metric.loss <= 0.25")).isTrue();
        assertThat(matches("params.cell IN ('gru', 'lstm') and attributes.status NOT IN ('FAILED')")).isTrue();
        assertThat(matches("params.cell LIKE 'LS%'")).as("LIKE is case-sensitive").isFalse();
        assertThat(matches("metrics.accuracy > 0")).as("a run without the metric does not match").isFalse();
        assertThat(matches("")).isTrue();
    }

    @Test
    void parsesKeysOperatorsAndValues() {
        var clause = MlflowFilter.parse("tags.`a b` NOT IN ('x',\"y\")").clauses().get(0);
        assertThat(clause.kind()).isEqualTo(Kind.TAG);
        assertThat(clause.key()).isEqualTo("a b");
        assertThat(clause.op()).isEqualTo(Op.NOT_IN);
        assertThat(clause.values()).containsExactly("x", "y");
        var order = MlflowFilter.orderBy("metrics.`val loss` DESC");
        assertThat(order).isEqualTo(new MlflowFilter.OrderBy(Kind.METRIC, "val loss", false));
        assertThat(MlflowFilter.orderBy("attributes.start_time").ascending()).isTrue();
    }

    @Test
    void whatItCannotParseIsInvalidWithThePosition() {
        assertThatThrownBy(() -> MlflowFilter.parse("metrics.loss < 1 OR params.x = 'y'"))
                .isInstanceOfSatisfying(MlflowException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("position 17").contains("AND");
                });
        assertThatThrownBy(() -> MlflowFilter.parse("params.x = 'open")).hasMessageContaining("position 11").hasMessageContaining("never closed");
        assertThatThrownBy(() -> MlflowFilter.parse("metrics. < 1")).hasMessageContaining("position 8");
        assertThatThrownBy(() -> MlflowFilter.parse("metrics.loss ~ 1")).hasMessageContaining("comparison operator");
        assertThatThrownBy(() -> MlflowFilter.orderBy("metrics.loss SIDEWAYS")).hasMessageContaining("ASC, DESC");
        assertThatThrownBy(() -> MlflowFilter.parse("metrics.loss = 'high'").matches(c -> 0.25)).hasMessageContaining("numeric");
    }
}

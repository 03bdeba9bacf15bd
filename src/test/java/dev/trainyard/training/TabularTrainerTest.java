package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularTrainerTest {

    @TempDir
    Path dir;

    private static List<EpochMetrics> train(JobSpec spec, Path file) {
        var metrics = new ArrayList<EpochMetrics>();
        new Trainer().train(spec, file, metrics::add, () -> false, 1);
        return metrics;
    }

    @Test
    void irisMlpReachesValidationAccuracyOfNinetyPercent() {
        var metrics = train(JobSpec.dl4j(Dl4jTemplates.irisMlp().toJson(), Tabular.IRIS, null, null, 60, 16, 7L), dir.resolve("iris.model"));
        EpochMetrics last = metrics.get(metrics.size() - 1);
        System.out.println(metrics.get(0) + "\n" + last);
        assertThat(metrics).hasSize(60);
        assertThat(last.extra().get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(last.extra()).containsKeys("val_loss", "val_f1", "val_precision", "val_recall");
        assertThat(last.loss()).isLessThan(metrics.get(0).loss());
    }
}

package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** dl4j jobs as the trainer runs them: the user's network on the built-in tables, seeded. */
class TabularTrainerTest {

    private static final Predictor PREDICTOR = new Predictor();

    @TempDir
    Path dir;

    @AfterAll
    static void stopPredictor() throws InterruptedException {
        PREDICTOR.destroy();
    }

    private static List<EpochMetrics> train(JobSpec spec, Path file) {
        var metrics = new ArrayList<EpochMetrics>();
        new Trainer().train(spec, file, metrics::add, () -> false, 1);
        return metrics;
    }

    private static JobSpec iris(int epochs, Long seed) {
        return JobSpec.dl4j(Dl4jTemplates.irisMlp().toJson(), Tabular.IRIS, null, null, epochs, 16, seed);
    }

    @Test
    void irisMlpReachesValidationAccuracyOfNinetyPercentAndPredictsClasses() throws Exception {
        Path file = dir.resolve("iris.model");
        var metrics = train(iris(60, 7L), file);

        EpochMetrics last = metrics.get(metrics.size() - 1);
        assertThat(metrics).hasSize(60);
        assertThat(last.extra().get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(last.extra()).containsKeys("val_loss", "val_f1", "val_precision", "val_recall");
        assertThat(last.loss()).isLessThan(metrics.get(0).loss());
        // the confusion matrix of the last epoch: the 30 validation rows (20% of 150), mostly on the diagonal
        ConfusionMatrix confusion = ConfusionMatrix.of(file).orElseThrow();
        assertThat(confusion.epoch()).isEqualTo(60);
        assertThat(confusion.classes()).containsExactly("setosa", "versicolor", "virginica");
        long total = 0;
        long diagonal = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                total += confusion.counts()[i][j];
                diagonal += i == j ? confusion.counts()[i][j] : 0;
            }
        }
        assertThat(total).isEqualTo(30);
        assertThat((double) diagonal / total).isEqualTo(last.extra().get("val_accuracy"), within(1e-9));

        var predicted = PREDICTOR.predict(file, List.of(List.of(5.1, 3.5, 1.4, 0.2), List.of(6.3, 3.3, 6.0, 2.5)))
                .get(30, TimeUnit.SECONDS);
        assertThat(predicted.task()).isEqualTo("classification");
        assertThat(predicted.predictions()).extracting(Predictor.Prediction::label).containsExactly("setosa", "virginica");
        assertThat(predicted.predictions().get(0).probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-4));
        assertThatThrownBy(() -> PREDICTOR.predict(file, List.of(List.of(5.1, 3.5, 1.4))).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 has 3 values; the model takes 4");
    }

    @Test
    void theSequenceConvolutionTemplateTellsTheWavesApart() throws Exception {
        Path file = dir.resolve("waves.model");
        var metrics = train(JobSpec.dl4j(Dl4jTemplates.sequenceConv().toJson(), Tabular.WAVES, null, null, 15, 32, 5L), file);

        assertThat(metrics.get(metrics.size() - 1).extra().get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(ConfusionMatrix.of(file).orElseThrow().classes()).containsExactly("sawtooth", "sine", "square");
        var square = new ArrayList<Double>();
        for (int t = 0; t < Tabular.WAVE_LENGTH; t++) {
            square.add((t / 5) % 2 == 0 ? 1.0 : -1.0);
        }
        assertThat(PREDICTOR.predict(file, List.of(square)).get(30, TimeUnit.SECONDS).predictions().get(0).label()).isEqualTo("square");
    }

    @Test
    void regressorReachesRSquaredOfNinetyPercentAndPredictsValues() throws Exception {
        Path file = dir.resolve("regression.model");
        var metrics = train(JobSpec.dl4j(Dl4jTemplates.mlpRegressor().toJson(), Tabular.REGRESSION, null, null, 60, 32, 3L), file);

        EpochMetrics last = metrics.get(metrics.size() - 1);
        assertThat(last.extra().get("val_r2")).isGreaterThanOrEqualTo(0.9);
        assertThat(last.extra()).containsKeys("val_loss", "val_mse", "val_mae").doesNotContainKey("val_accuracy");
        assertThat(ConfusionMatrix.of(file)).isEmpty();

        // y = 2·x1 − x2 + sin(3·x3) + x4²: at (0.5, −0.5, 0.2, 0.3) that is 2.155, in the target's own units
        var predicted = PREDICTOR.predict(file, List.of(List.of(0.5, -0.5, 0.2, 0.3))).get(30, TimeUnit.SECONDS);
        assertThat(predicted.task()).isEqualTo("regression");
        assertThat(predicted.predictions().get(0).values().get("y")).isCloseTo(2.155, within(0.3));
    }

    @Test
    void theSameSeedGivesTheSameCurveAndAnotherSeedAnother() {
        var first = train(iris(8, 11L), dir.resolve("a.model"));
        var again = train(iris(8, 11L), dir.resolve("b.model"));
        var other = train(iris(8, 12L), dir.resolve("c.model"));

        assertThat(curve(again)).isEqualTo(curve(first));
        assertThat(curve(other)).isNotEqualTo(curve(first));
    }

    private static List<List<Double>> curve(List<EpochMetrics> metrics) {
        return metrics.stream().map(m -> List.of(m.loss(), m.extra().get("val_loss"), m.extra().get("val_accuracy"))).toList();
    }

    @Test
    void earlyStoppingSavesTheBestEpochsWeightsNotTheLast() throws Exception {
        // a learning rate high enough that val_loss soon stops improving
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.2)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        JobSpec spec = JobSpec.dl4j(conf.toJson(), Tabular.IRIS, null, null, 200, 8, 5L).withEarlyStopping("val_loss", 3);
        Path file = dir.resolve("early.model");
        var metrics = train(spec, file);

        EpochMetrics last = metrics.get(metrics.size() - 1);
        assertThat(metrics).as("stopped early").hasSizeLessThan(200);
        int best = last.extra().get("best_epoch").intValue();
        assertThat(metrics.size() - best).as("patience").isEqualTo(3);
        double bestLoss = metrics.get(best - 1).extra().get("val_loss");
        assertThat(metrics.stream().mapToDouble(m -> m.extra().get("val_loss")).min().orElseThrow()).isEqualTo(bestLoss);
        assertThat(last.extra().get("val_loss")).isGreaterThan(bestLoss);

        // the saved model scores the best epoch's val_loss on the same (seeded) validation split
        TabularSchema schema = Tabular.builtinSchema(Tabular.IRIS);
        JobSpec job = spec.withDefaults();
        TabularData data = TabularData.load(Tabular.builtinCsv(Tabular.IRIS), schema, Tabular.Plan.of(schema, "species",
                "classification"), job.validationFraction(), 5L, job.normalizer());
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        assertThat(saved.score(data.validation(), false)).isCloseTo(bestLoss, within(1e-5));
        assertThat(TabularModel.meta(file).bestEpoch()).isEqualTo(best);
    }

    @Test
    void aComputationGraphTrainsAndPredictsToo() throws Exception {
        var graph = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01)).graphBuilder()
                .addInputs("features")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build(), "features")
                .addLayer("species", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("species")
                .build();
        Path file = dir.resolve("graph.model");
        var metrics = train(JobSpec.dl4j(graph.toJson(), Tabular.IRIS, null, null, 60, 16, 3L), file);

        assertThat(metrics.get(metrics.size() - 1).extra().get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(TabularModel.meta(file).graph()).isTrue();
        assertThat(PREDICTOR.predict(file, List.of(List.of(5.1, 3.5, 1.4, 0.2))).get(30, TimeUnit.SECONDS).predictions().get(0)
                .label()).isEqualTo("setosa");
    }

    @Test
    void aStopRequestEndsTrainingBetweenEpochsAndSavesNothing() {
        Path file = dir.resolve("stopped.model");
        var epochs = new AtomicInteger();
        TrainingResult result = new Trainer().train(iris(100, 1L), file, m -> epochs.incrementAndGet(), () -> epochs.get() >= 3, 1);

        assertThat(result).isEqualTo(new TrainingResult(3, true));
        assertThat(Files.exists(file)).isFalse();
    }
}

package dev.trainyard.training.listener;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An epoch's validation figures under the names a dl4j job logs them, so that a network trained in a user's own
 * program with {@link TrainyardListener} and the same network trained as a job chart on one page: {@code val_loss};
 * for classification DL4J's {@link Evaluation} as {@code val_accuracy}, {@code val_f1}, {@code val_precision} and
 * {@code val_recall} (macro averages); for regression its {@link RegressionEvaluation} as {@code val_mse},
 * {@code val_mae} and {@code val_r2}, and {@code val_r2/<target>} per target when there are several.
 */
public final class ValidationMetrics {

    /** What the output is judged as. */
    public enum Task {
        CLASSIFICATION, REGRESSION
    }

    private ValidationMetrics() {
    }

    /** The network's loss on a data set, without training on it. */
    public static double loss(Model net, DataSet data) {
        return net instanceof MultiLayerNetwork m ? m.score(data, false) : ((ComputationGraph) net).score(data, false);
    }

    /**
     * Puts the classification figures into {@code into}.
     *
     * @param classes the classes' names in output order, or null for DL4J's class indices
     * @return the evaluation, for its confusion matrix
     */
    public static Evaluation classification(INDArray labels, INDArray output, List<String> classes, Map<String, Double> into) {
        var evaluation = classes == null ? new Evaluation() : new Evaluation(classes);
        evaluation.eval(labels, output);
        into.put("val_accuracy", evaluation.accuracy());
        into.put("val_f1", evaluation.f1(EvaluationAveraging.Macro));
        into.put("val_precision", evaluation.precision(EvaluationAveraging.Macro));
        into.put("val_recall", evaluation.recall(EvaluationAveraging.Macro));
        return evaluation;
    }

    /**
     * Puts the regression figures into {@code into}; labels and predictions in the same units.
     *
     * @param targets the targets' names in output order, or null for DL4J's column names
     */
    public static void regression(INDArray labels, INDArray predicted, List<String> targets, Map<String, Double> into) {
        var evaluation = targets == null ? new RegressionEvaluation() : new RegressionEvaluation(targets);
        evaluation.eval(labels, predicted);
        into.put("val_mse", evaluation.averageMeanSquaredError());
        into.put("val_mae", evaluation.averageMeanAbsoluteError());
        into.put("val_r2", evaluation.averageRSquared());
        if (targets != null && targets.size() > 1) {
            for (int i = 0; i < targets.size(); i++) {
                into.put("val_r2/" + targets.get(i), evaluation.rSquared(i));
            }
        }
    }

    /** The network's output for some features, without training. */
    public static INDArray output(Model net, INDArray features) {
        return net instanceof MultiLayerNetwork m ? m.output(features, false) : ((ComputationGraph) net).outputSingle(false, features);
    }
}

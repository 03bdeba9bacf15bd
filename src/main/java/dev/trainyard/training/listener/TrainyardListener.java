package dev.trainyard.training.listener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.client.TrainyardRun;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Streams a DL4J network's training to a Trainyard run under the keys a {@code dl4j} job logs, so that a
 * network trained in your own program and the same network queued as a job compare on one chart. Per epoch
 * (step = epoch, from 1): {@code loss}, the mean score of the epoch's iterations, and {@code epoch_ms}; with
 * {@link #validateOn} also {@code val_loss} and the task's {@link ValidationMetrics}. Attach it with
 * {@code net.setListeners(new TrainyardListener(run))}.
 *
 * <p>With {@code fit(DataSetIterator)} DL4J announces epochs itself. In a manual loop over
 * {@code fit(DataSet)} it does not, so call {@link #epochEnd(Model)} after each epoch.
 */
public final class TrainyardListener extends BaseTrainingListener {

    private final TrainyardRun run;
    private final int scoreEvery;
    private DataSet validation;
    private ValidationMetrics.Task task;
    private List<String> names;
    private int epoch;
    private long epochStart = System.nanoTime();
    private double scoreSum;
    private int scores;

    public TrainyardListener(TrainyardRun run) {
        this(run, 0);
    }

    /** @param scoreEvery also log each iteration's {@code score} (step = iteration) every this many iterations; 0: never */
    public TrainyardListener(TrainyardRun run, int scoreEvery) {
        if (scoreEvery < 0) {
            throw new IllegalArgumentException("scoreEvery must be 0 (no iteration scores) or more");
        }
        this.run = run;
        this.scoreEvery = scoreEvery;
    }

    /**
     * Judges the network on a validation set after every epoch, as a dl4j job does.
     *
     * @param names the classes' names (classification) or the targets' (regression) in output order, or null
     */
    public TrainyardListener validateOn(DataSet validation, ValidationMetrics.Task task, List<String> names) {
        this.validation = validation;
        this.task = task;
        this.names = names == null ? null : List.copyOf(names);
        return this;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        scoreSum += score;
        scores++;
        if (scoreEvery > 0 && iteration % scoreEvery == 0) {
            run.log(Map.of("score", score), iteration);
        }
    }

    @Override
    public void onEpochStart(Model model) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onEpochEnd(Model model) {
        epochEnd(model);
    }

    /** Ends an epoch; call it yourself when training with {@code fit(DataSet)} in your own loop. */
    public void epochEnd(Model model) {
        double ms = (System.nanoTime() - epochStart) / 1e6;
        epoch++;
        var metrics = new LinkedHashMap<String, Double>();
        metrics.put("loss", scores == 0 ? Double.NaN : scoreSum / scores);
        metrics.put("epoch_ms", ms);
        if (validation != null) {
            metrics.put("val_loss", ValidationMetrics.loss(model, validation));
            var output = ValidationMetrics.output(model, validation.getFeatures());
            if (task == ValidationMetrics.Task.CLASSIFICATION) {
                ValidationMetrics.classification(validation.getLabels(), output, names, metrics);
            } else {
                ValidationMetrics.regression(validation.getLabels(), output, names, metrics);
            }
        }
        run.log(metrics, epoch);
        scoreSum = 0;
        scores = 0;
        epochStart = System.nanoTime();
    }
}

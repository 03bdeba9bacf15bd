package dev.trainyard.training.listener;

import java.util.Map;

import dev.trainyard.client.TrainyardRun;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Streams a DL4J network's training to a Trainyard run: {@code score} every iteration (step =
 * iteration), and per epoch {@code epoch_score} (the mean score of its iterations) and
 * {@code epoch_ms} (step = epoch). Attach it with {@code net.setListeners(new TrainyardListener(run))}.
 *
 * <p>With {@code fit(DataSetIterator)} DL4J announces epochs itself. In a manual loop over
 * {@code fit(DataSet)} it does not, so call {@link #epochEnd()} after each epoch.
 */
public final class TrainyardListener extends BaseTrainingListener {

    private final TrainyardRun run;
    private final int scoreEvery;
    private int epoch;
    private long epochStart = System.nanoTime();
    private double scoreSum;
    private int scores;

    public TrainyardListener(TrainyardRun run) {
        this(run, 1);
    }

    /** @param scoreEvery log the iteration score every this many iterations */
    public TrainyardListener(TrainyardRun run, int scoreEvery) {
        if (scoreEvery < 1) {
            throw new IllegalArgumentException("scoreEvery must be at least 1");
        }
        this.run = run;
        this.scoreEvery = scoreEvery;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        scoreSum += score;
        scores++;
        if (iteration % scoreEvery == 0) {
            run.log(Map.of("score", score), iteration);
        }
    }

    @Override
    public void onEpochStart(Model model) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onEpochEnd(Model model) {
        epochEnd();
    }

    /** Ends an epoch; call it yourself when training with {@code fit(DataSet)} in your own loop. */
    public void epochEnd() {
        double ms = (System.nanoTime() - epochStart) / 1e6;
        run.log(Map.of("epoch_score", scores == 0 ? Double.NaN : scoreSum / scores, "epoch_ms", ms), epoch);
        epoch++;
        scoreSum = 0;
        scores = 0;
        epochStart = System.nanoTime();
    }
}

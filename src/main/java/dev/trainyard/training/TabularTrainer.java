package dev.trainyard.training;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.trainyard.training.listener.ValidationMetrics;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains a dl4j job: the user's network on a table, with DL4J's own {@code fit} over mini-batches, one call
 * per epoch (a true pass over the train split, shuffled with the job's seed). After each epoch it measures
 * {@code loss} (the mean of the epoch's mini-batch scores), {@code val_loss} and DL4J's {@link Evaluation}
 * or {@link RegressionEvaluation} on the validation split. With early stopping the best epoch's weights
 * are kept and saved.
 */
final class TabularTrainer {

    /** Mini-batch order, apart from the split's shuffle. */
    private static final long EPOCH_STREAM = 0x65706f6368L;

    /** What a job would train, checked and sized; nothing allocated yet. */
    record Prepared(Tabular.Plan plan, Dl4jNetwork network, long parameters, long trainingBytes, int trainRows) {

        long work(int epochs) {
            try {
                return Math.multiplyExact(Math.multiplyExact((long) epochs, (long) trainRows), parameters);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        /** Why it cannot be trained within the limits, or null. */
        String refusal(JobSpec job, long maxWork) {
            long allowedBytes = JobSize.MAX_ELEMENTS * Float.BYTES;
            if (trainingBytes > allowedBytes) {
                return String.format("the network is too large: %,d parameters; DL4J estimates %,d MB to train it at batch %d, "
                        + "at most %,d MB are allowed per job", parameters, trainingBytes >> 20, job.batchSize(), allowedBytes >> 20);
            }
            long work = work(job.epochs());
            if (work > maxWork) {
                return String.format("the network is too large for the work limit: %,d epochs × %,d train rows × %,d parameters "
                        + "= %,d units of work; at most %,d are allowed (trainyard.jobs.max-work)", job.epochs(), trainRows,
                        parameters, work, maxWork);
            }
            return null;
        }
    }

    private TabularTrainer() {
    }

    /** @throws JobRefusal for a network, label or table that do not fit together */
    static Prepared prepare(JobSpec job, TabularSource source) {
        Tabular.Plan plan = Tabular.Plan.of(source.schema(), job.label(), job.task());
        Dl4jNetwork network = Dl4jNetwork.parse(source.network());
        network.requireWidths(plan.features().size(), plan.outputs(), plan.features(), plan.classification());
        int rows = source.schema().rows();
        int held = (int) Math.max(1, Math.min(rows - 1, Math.round(rows * job.validationFraction())));
        return new Prepared(plan, network, network.parameters(), network.trainingBytes(plan.features().size(), job.batchSize()),
                rows - held);
    }

    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    static TrainingResult train(JobSpec job, TabularSource source, Path modelFile, EpochListener listener,
            BooleanSupplier stopRequested) {
        Prepared prepared = prepare(job, source);
        String refusal = prepared.refusal(job, Long.MAX_VALUE);
        if (refusal != null) {
            throw new TrainingException(refusal);
        }
        long seed = job.seed() != null ? job.seed() : prepared.network().configuredSeed();
        TabularData data = TabularData.load(source.csv(), source.schema(), prepared.plan(), job.validationFraction(), seed,
                job.normalizer());
        OffHeap.reserve(prepared.trainingBytes(), "the dl4j network");
        Model net;
        try {
            net = prepared.network().init(job.seed());
        } catch (RuntimeException e) {
            throw new TrainingException("DL4J could not build the network: " + Dl4jNetwork.deepest(e), e);
        }
        var scores = new double[2];
        var listenerOfScores = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                scores[0] += model.score();
                scores[1]++;
                if (stopRequested.getAsBoolean()) {
                    throw new Stopped(); // within the epoch: a long epoch need not run to its end
                }
            }
        };
        setListener(net, listenerOfScores);
        Tabular.Plan plan = prepared.plan();
        String metric = job.earlyStopping();
        boolean lowerIsBetter = metric != null && (metric.equals("val_loss") || metric.equals("val_mse") || metric.equals("val_mae"));
        double best = Double.NaN;
        int bestEpoch = 0;
        INDArray bestParams = null;
        int epochs = job.epochs();
        int trained = 0;
        ConfusionMatrix confusion = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            if (stopRequested.getAsBoolean()) {
                return new TrainingResult(trained, true);
            }
            long start = System.nanoTime();
            scores[0] = 0;
            scores[1] = 0;
            var metrics = new LinkedHashMap<String, Double>();
            try {
                Dl4jNetwork.fit(net, new ListDataSetIterator<>(data.epoch(job.batchSize(), seed ^ EPOCH_STREAM ^ epoch), 1));
                metrics.put("val_loss", ValidationMetrics.loss(net, data.validation()));
                confusion = evaluate(net, data, plan, epoch, metrics);
            } catch (Stopped e) {
                return new TrainingResult(trained, true);
            } catch (RuntimeException e) {
                throw new TrainingException("DL4J failed in epoch " + epoch + ": " + Dl4jNetwork.deepest(e), e);
            }
            trained = epoch;
            double millis = (System.nanoTime() - start) / 1e6;
            boolean stopEarly = false;
            if (metric != null) {
                Double value = metrics.get(metric);
                if (value == null) {
                    throw new TrainingException("early stopping on " + metric + ", which a " + job.task() + " job does not measure");
                }
                if (bestEpoch == 0 || (lowerIsBetter ? value < best : value > best)) {
                    best = value;
                    bestEpoch = epoch;
                    bestParams = net.params().dup();
                }
                stopEarly = epoch - bestEpoch >= job.patience();
                if (stopEarly || epoch == epochs) {
                    metrics.put("best_epoch", (double) bestEpoch);
                }
            }
            listener.onEpoch(new EpochMetrics(epoch, epochs, scores[1] == 0 ? Double.NaN : scores[0] / scores[1], Double.NaN,
                    millis, metrics));
            if (stopEarly) {
                break;
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams); // early stopping keeps the best epoch's weights, not the last's
        }
        setListener(net, null);
        if (confusion != null) {
            confusion.write(modelFile);
        }
        new TabularModel(job.task(), plan.features(), plan.labels(), plan.classes(), prepared.network().isGraph(),
                bestParams != null ? bestEpoch : trained).save(modelFile, net, data.normalizer());
        return new TrainingResult(trained, false);
    }

    private static void setListener(Model net, BaseTrainingListener listener) {
        if (net instanceof MultiLayerNetwork m) {
            m.setListeners(listener == null ? new BaseTrainingListener[0] : new BaseTrainingListener[] {listener});
        } else {
            ((ComputationGraph) net).setListeners(listener == null ? new BaseTrainingListener[0] : new BaseTrainingListener[] {listener});
        }
    }

    /** Puts the validation metrics into {@code metrics}; returns the confusion matrix for classification. */
    private static ConfusionMatrix evaluate(Model net, TabularData data, Tabular.Plan plan, int epoch, Map<String, Double> metrics) {
        DataSet validation = data.validation();
        INDArray output = Dl4jNetwork.output(net, validation.getFeatures());
        if (plan.classification()) {
            var evaluation = ValidationMetrics.classification(validation.getLabels(), output, plan.classes(), metrics);
            int n = plan.classes().size();
            long[][] counts = new long[n][n];
            for (int actual = 0; actual < n; actual++) {
                for (int predicted = 0; predicted < n; predicted++) {
                    counts[actual][predicted] = evaluation.getConfusionMatrix().getCount(actual, predicted);
                }
            }
            return new ConfusionMatrix(epoch, plan.classes(), counts);
        }
        INDArray predicted = output.dup();
        if (data.normalizer() != null) {
            data.normalizer().revertLabels(predicted); // measured in the targets' own units
        }
        ValidationMetrics.regression(data.validationLabels(), predicted, plan.labels(), metrics);
        return null;
    }
}

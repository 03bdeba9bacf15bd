package dev.trainyard.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.trainyard.shared.db.Database;
import dev.trainyard.tracking.MetricPoint;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.RunLogs;
import dev.trainyard.tracking.RunSamples;
import dev.trainyard.training.EpochListener;
import dev.trainyard.training.EpochMetrics;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.Trainer;
import dev.trainyard.training.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains one claimed job on the calling worker thread. Epochs' metrics and progress commit
 * together through an {@link EpochBuffer}, and all of them before the run is marked FINISHED; a
 * lost lease or a stop request ends training at the next epoch boundary.
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR = 2000;
    /** Epochs that may wait for the store before training waits too. */
    private static final int EPOCH_BUFFER = 10_000;
    /** About how many epoch lines a job's log gets (besides the first and the last), so a long job stays readable. */
    private static final int EPOCH_LINES = 500;

    private final JobQueue queue;
    private final MetricStore metrics;
    private final RunSamples samples;
    private final RunLogs logs;
    private final SystemMetricsSettings system;
    private final Trainer trainer;
    private final ModelFiles models;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final WorkerSettings settings;
    private final Clock clock;

    JobRunner(JobQueue queue, MetricStore metrics, RunSamples samples, RunLogs logs, Trainer trainer, ModelFiles models,
            JsonMapper json, PlatformTransactionManager transactions, WorkerSettings settings, SystemMetricsSettings system,
            Clock clock) {
        this.queue = queue;
        this.metrics = metrics;
        this.samples = samples;
        this.logs = logs;
        this.system = system;
        this.trainer = trainer;
        this.models = models;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param stop        set by a cancel, a delete or a lost lease; also by shutdown
     * @param shuttingDown tells a shutdown apart from the rest: the job then goes back to the queue
     */
    void run(ClaimedJob job, String node, AtomicBoolean stop, AtomicBoolean shuttingDown, ScheduledExecutorService scheduler) {
        var console = new JobLog(job.runId(), logs, scheduler, settings.flushInterval(), clock);
        var beat = scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (!queue.heartbeat(job.runId(), node)) {
                    console.warn("this node lost the job's lease (cancelled, deleted or taken over): stopping");
                    stop.set(true);
                }
            } catch (RuntimeException e) {
                log.warn("Heartbeat for job {} failed: {}", job.runId(), e.getMessage());
                console.warn("heartbeat failed: " + e.getMessage());
            }
        }, settings.heartbeatInterval().toMillis(), settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        var sampler = new SystemSampler(job.runId(), metrics, scheduler, system.interval(), clock);
        var buffer = new EpochBuffer(job, node, stop, queue, metrics, samples, transaction, scheduler,
                settings.flushInterval(), EPOCH_BUFFER);
        try {
            JobSpec spec = json.readValue(job.specJson(), JobSpec.class).withDefaults();
            log.info("Training job {} (attempt {}): {}", job.runId(), job.attempt(), spec);
            console.info("training on " + node + " (attempt " + job.attempt() + "): " + spec);
            TrainingResult result;
            try (buffer) {
                result = trainer.train(spec, models.of(job.runId()), new EpochListener() {
                    private boolean warnedNonFinite;

                    @Override
                    public void onEpoch(EpochMetrics epoch) {
                        buffer.add(toEpoch(epoch, started));
                        if (!Double.isFinite(epoch.loss()) && !warnedNonFinite) {
                            warnedNonFinite = true;
                            console.warn("loss is " + epoch.loss() + " at step " + epoch.epoch()
                                    + ": training has diverged; a lower learningRate or a clipGradient may help");
                        }
                        if (epochLineDue(epoch.epoch(), epoch.epochs())) {
                            console.info(epochLine(epoch));
                        }
                    }

                    @Override
                    public void onSample(int epoch, String text, Boolean exact) {
                        buffer.addSample(new EpochBuffer.Sample(epoch, text, exact, clock.millis()));
                        console.info("sample at step " + epoch + (exact == null ? "" : exact ? " (exact)" : " (not exact)")
                                + ": " + text);
                    }
                }, stop::get, settings.threadsPerJob());
            }
            sampler.close();
            console.info((result.stopped() ? "stopped" : "finished") + " after " + result.epochsCompleted() + " steps");
            // Before the run's end: a live page stops following at its final state.
            console.close();
            if (!result.stopped()) {
                WhileUnreachable.retry("the end of job " + job.runId(), () -> queue.finish(job, node), shuttingDown::get);
            } else if (shuttingDown.get()) {
                queue.release(job, node);
            }
            log.info("Job {} {} after {} steps", job.runId(), result.stopped() ? "stopped" : "finished", result.epochsCompleted());
        } catch (RuntimeException | Error e) {
            // An Error too (out of memory, a native library's): it fails this job, not the worker.
            if (Database.isUnreachable(e)) {
                // Not the job's fault: it stays RUNNING, and comes back to the queue once its lease runs out.
                log.warn("Job {} stopped with the database out of reach; it is requeued when its lease runs out", job.runId());
            } else {
                log.warn("Job {} failed", job.runId(), e);
                sampler.close();
                console.error("job failed: " + describe(e), e);
                console.close();
                WhileUnreachable.retry("the failure of job " + job.runId(), () -> queue.fail(job, node, describe(e)),
                        shuttingDown::get);
            }
        } finally {
            beat.cancel(false);
            sampler.close();
            console.close();
        }
    }

    private EpochBuffer.Epoch toEpoch(EpochMetrics epoch, long startedNanos) {
        long now = clock.millis();
        var points = new ArrayList<MetricPoint>(List.of(new MetricPoint("loss", epoch.epoch(), epoch.loss(), now)));
        if (!Double.isNaN(epoch.accuracy())) {
            // a dl4j job has no train accuracy of its own (its val_accuracy is among the extras); regression has none
            points.add(new MetricPoint("accuracy", epoch.epoch(), epoch.accuracy(), now));
        }
        points.add(new MetricPoint("epoch_ms", epoch.epoch(), epoch.epochMillis(), now));
        epoch.extra().forEach((key, value) -> points.add(new MetricPoint(key, epoch.epoch(), value, now)));
        double secondsPerEpoch = (System.nanoTime() - startedNanos) / 1e9 / epoch.epoch();
        long eta = Math.round(secondsPerEpoch * (epoch.epochs() - epoch.epoch()));
        return new EpochBuffer.Epoch(points, epoch.epoch(), epoch.epochs(), eta);
    }

    private static boolean epochLineDue(int epoch, int epochs) {
        return epoch == 1 || epoch == epochs || epoch % Math.max(1, epochs / EPOCH_LINES) == 0;
    }

    private static String epochLine(EpochMetrics epoch) {
        var line = new StringBuilder(String.format(Locale.ROOT, "step %d/%d  loss %.6g", epoch.epoch(), epoch.epochs(),
                epoch.loss()));
        if (!Double.isNaN(epoch.accuracy())) {
            line.append(String.format(Locale.ROOT, "  accuracy %.4f", epoch.accuracy()));
        }
        Double test = epoch.extra().get("test_accuracy");
        if (test != null) {
            line.append(String.format(Locale.ROOT, "  test_accuracy %.4f", test));
        }
        return line.append(String.format(Locale.ROOT, "  (%.1f ms)", epoch.epochMillis())).toString();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) + "…" : message;
    }
}

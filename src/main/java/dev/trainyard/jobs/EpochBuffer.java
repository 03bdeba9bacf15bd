package dev.trainyard.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.trainyard.tracking.MetricPoint;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.RunSamples;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries a job's epochs to the store off the training thread. A small model trains an epoch in
 * well under a millisecond, several times faster than a commit, so epochs are committed in
 * batches every flush interval: charts still move within a fraction of a second, and training
 * does not wait for the disk. When the store falls behind or fails, epochs wait here (nothing is
 * dropped), and once the buffer is full the training thread waits too.
 */
final class EpochBuffer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EpochBuffer.class);

    record Epoch(List<MetricPoint> points, int epoch, int epochs, long etaSeconds) {
    }

    record Sample(int epoch, String text, Boolean exact, long time) {
    }

    private final ClaimedJob job;
    private final String node;
    private final AtomicBoolean stop;
    private final JobQueue queue;
    private final MetricStore metrics;
    private final TransactionTemplate transaction;
    private final int capacity;
    private final BlockingQueue<Epoch> incoming;
    private final List<Epoch> unsent = new ArrayList<>();
    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Sample> unsentSamples = new ArrayList<>();
    private int flushedEpoch;
    private final RunSamples sampleStore;
    private final ScheduledFuture<?> ticker;

    EpochBuffer(ClaimedJob job, String node, AtomicBoolean stop, JobQueue queue, MetricStore metrics, RunSamples sampleStore,
            TransactionTemplate transaction, ScheduledExecutorService scheduler, Duration interval, int capacity) {
        this.sampleStore = sampleStore;
        this.job = job;
        this.node = node;
        this.stop = stop;
        this.queue = queue;
        this.metrics = metrics;
        this.transaction = transaction;
        this.capacity = capacity;
        this.incoming = new ArrayBlockingQueue<>(capacity);
        this.ticker = scheduler.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Queues an epoch; blocks while the buffer is full. */
    void add(Epoch epoch) {
        try {
            incoming.put(epoch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the store to catch up", e);
        }
    }

    /** Queues a generated sample without waiting; samples are rare and small. */
    void addSample(Sample sample) {
        samples.add(sample);
    }

    /** Commits everything buffered in one transaction, with the newest epoch's progress. */
    synchronized void flush() {
        incoming.drainTo(unsent, Math.max(0, capacity - unsent.size()));
        int newest = unsent.isEmpty() ? flushedEpoch : unsent.get(unsent.size() - 1).epoch();
        // A sample is committed with its epoch's metrics or after them, never before.
        while (!samples.isEmpty() && samples.peek().epoch() <= newest) {
            unsentSamples.add(samples.poll());
        }
        if (unsent.isEmpty() && unsentSamples.isEmpty()) {
            return;
        }
        var points = new ArrayList<MetricPoint>();
        unsent.forEach(e -> points.addAll(e.points()));
        unsentSamples.stream().filter(s -> s.exact() != null)
                .forEach(s -> points.add(new MetricPoint("exact", s.epoch(), s.exact() ? 1 : 0, s.time())));
        Epoch last = unsent.isEmpty() ? null : unsent.get(unsent.size() - 1);
        Boolean owned = transaction.execute(tx -> {
            if (!points.isEmpty()) {
                metrics.log(job.runId(), points);
            }
            unsentSamples.forEach(s -> sampleStore.record(job.runId(), job.projectId(), s.epoch(), s.text(), s.exact()));
            if (last != null && !queue.progress(job, node, last.epoch(), last.epochs(), last.etaSeconds())) {
                tx.setRollbackOnly();
                return false;
            }
            return true;
        });
        unsent.clear();
        unsentSamples.clear();
        flushedEpoch = newest;
        if (!Boolean.TRUE.equals(owned)) {
            // Cancelled, deleted, or taken over by another node: what it trains is no longer ours to write.
            samples.clear();
            stop.set(true);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not commit epochs of job {} yet; keeping them and retrying: {}", job.runId(), e.getMessage());
        }
    }

    /**
     * Stops the ticker and commits what is left, waiting for the database if it is out of reach
     * (unless the job is being stopped); throws if the store refuses it.
     */
    @Override
    public void close() {
        ticker.cancel(false);
        WhileUnreachable.retry("the last epochs of job " + job.runId(), this::flush, stop::get);
    }
}

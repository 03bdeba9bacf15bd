package dev.trainyard.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.trainyard.tracking.LogLine;
import dev.trainyard.tracking.RunLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's console, as its run's Logs tab shows it: what the worker says about the job (its spec,
 * epoch lines, samples, warnings, and the error with its stack trace when it fails). Lines are
 * committed every flush interval off the training thread. Logging never stops training: while the
 * store refuses, lines wait here up to a bound, and past it new ones are counted and said to be lost.
 */
final class JobLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobLog.class);
    /** Lines that may wait for the store; a run keeps no more than about this many anyway. */
    private static final int MAX_WAITING = 10_000;
    private static final int BATCH = 5_000;
    /** A stack trace longer than this (a deep native one) keeps its head, where the cause is named. */
    private static final int MAX_TRACE_LINES = 200;

    private final String runId;
    private final RunLogs store;
    private final Clock clock;
    private final Deque<LogLine> waiting = new ArrayDeque<>();
    private final Object flushing = new Object();
    private final ScheduledFuture<?> ticker;
    private long lost;

    JobLog(String runId, RunLogs store, ScheduledExecutorService scheduler, Duration interval, Clock clock) {
        this.runId = runId;
        this.store = store;
        this.clock = clock;
        this.ticker = scheduler.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void info(String text) {
        add(LogLine.STDOUT, "INFO  " + text);
    }

    void warn(String text) {
        add(LogLine.STDERR, "WARN  " + text);
    }

    void error(String text, Throwable e) {
        add(LogLine.STDERR, "ERROR " + text);
        var trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\\R");
        int shown = Math.min(lines.length, MAX_TRACE_LINES);
        for (int i = 0; i < shown; i++) {
            add(LogLine.STDERR, lines[i]);
        }
        if (lines.length > shown) {
            add(LogLine.STDERR, "\t... " + (lines.length - shown) + " more lines of the stack trace");
        }
    }

    private void add(String stream, String text) {
        long now = clock.millis();
        synchronized (waiting) {
            for (String line : text.split("\\R", -1)) {
                if (waiting.size() >= MAX_WAITING) {
                    lost++;
                } else {
                    waiting.add(LogLine.of(stream, line, now));
                }
            }
        }
    }

    /** Commits the waiting lines; throws, keeping them, if the store refuses. */
    void flush() {
        synchronized (flushing) {
            while (true) {
                List<LogLine> batch;
                synchronized (waiting) {
                    if (lost > 0 && waiting.size() < MAX_WAITING) {
                        waiting.add(LogLine.of(LogLine.STDERR, "WARN  " + lost + " log lines were lost while the store "
                                + "was out of reach", clock.millis()));
                        lost = 0;
                    }
                    batch = new ArrayList<>(Math.min(BATCH, waiting.size()));
                    var it = waiting.iterator();
                    while (it.hasNext() && batch.size() < BATCH) {
                        batch.add(it.next());
                    }
                }
                if (batch.isEmpty()) {
                    return;
                }
                store.append(runId, batch);
                synchronized (waiting) {
                    // Only this method removes lines, and add() only appends: the first ones are this batch.
                    for (int i = 0; i < batch.size(); i++) {
                        waiting.pollFirst();
                    }
                }
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.debug("Could not store log lines of job {} yet; keeping them: {}", runId, e.getMessage());
        }
    }

    /** Stops the ticker and commits what is left, once; a refusal is logged here, not thrown. */
    @Override
    public void close() {
        ticker.cancel(false);
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not store the last log lines of job {}: {}", runId, e.getMessage());
        }
    }
}

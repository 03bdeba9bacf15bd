package dev.trainyard.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;


/**
 * An open run. {@link #log} only queues points and returns at once; a background thread sends
 * them every second, or as soon as 1,000 are waiting, and heart-beats every 30 seconds. Points
 * that could not be sent stay queued and go with the next attempt. {@link #finish} sends
 * everything and ends the run.
 */
public final class TrainyardRun implements AutoCloseable {

    record Point(String key, long step, double value, Instant time) {
    }

    /** The JDK's logger (java.util.logging, unless a bridge such as Spring Boot's routes it on): the client's jar needs nothing else. */
    private static final System.Logger log = System.getLogger(TrainyardRun.class.getName());
    /** The server's MetricKeys rule, copied: the client's jar carries no server classes. */
    private static final Pattern KEY = Pattern.compile("(?! )(?!.* $)(?!.*(^|/)\\.{1,2}(/|$))(?!/)(?!.*//)(?!.*/$)[A-Za-z0-9_./= -]{1,200}");
    private static final String KEY_RULE = "[A-Za-z0-9_./= -]{1,200}, with no space at either end and no empty, \".\" or \"..\" segment between slashes";
    private static final int FLUSH_AT = 1000;
    private static final int BATCH_LIMIT = 10_000;

    private final TrainyardClient client;
    private final String id;
    private final String name;
    private final Map<String, ?> config;
    private final ConcurrentLinkedQueue<Point> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong nextStep = new AtomicLong();
    private final Map<String, Double> summary = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sender;
    private final List<Point> unsent = new ArrayList<>();
    private volatile boolean finished;

    TrainyardRun(TrainyardClient client, String id, String name, Map<String, ?> config) {
        this.client = client;
        this.id = id;
        this.name = name;
        this.config = config == null ? Map.of() : Map.copyOf(config);
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "trainyard-run-" + id);
            t.setDaemon(true);
            return t;
        });
        sender.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
        sender.scheduleWithFixedDelay(this::heartbeat, 30, 30, TimeUnit.SECONDS);
    }

    /** Logs the values at the next step: each call is one step, as with {@code wandb.log}. */
    public void log(Map<String, ? extends Number> values) {
        log(values, nextStep.get());
    }

    /** Logs the values at {@code step}; later calls without a step continue after it. */
    public void log(Map<String, ? extends Number> values, long step) {
        if (finished) {
            throw new IllegalStateException("run " + id + " is finished");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be 0 or more, was " + step);
        }
        Instant now = Instant.now();
        values.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("metric key '" + key + "' must match " + KEY_RULE);
            }
            double v = value.doubleValue();
            queue.add(new Point(key, step, v, now));
            summary.put(key, v);
        });
        nextStep.accumulateAndGet(step + 1, Math::max);
        if (queued.addAndGet(values.size()) >= FLUSH_AT) {
            sender.execute(this::flushQuietly);
        }
    }

    /** Sends every queued point now, on the caller's thread. */
    public synchronized void flush() {
        Point p;
        while ((p = queue.poll()) != null) {
            queued.decrementAndGet();
            unsent.add(p);
        }
        while (!unsent.isEmpty()) {
            List<Point> batch = unsent.subList(0, Math.min(BATCH_LIMIT, unsent.size()));
            client.send("POST", "/api/v1/runs/" + id + "/metrics",
                    Json.write(Map.of("points", TrainyardClient.wire(batch))), 5);
            batch.clear();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "Could not send points of run {0} yet; keeping them: {1}", id, e.getMessage());
        }
    }

    private void heartbeat() {
        try {
            client.send("POST", "/api/v1/runs/" + id + "/heartbeat", null, 1);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.DEBUG, "Heartbeat of run {0} failed: {1}", id, e.getMessage());
        }
    }

    /** Sends everything, then ends the run: FINISHED for exit code 0, FAILED otherwise. */
    public void finish(int exitCode) {
        if (finished) {
            return;
        }
        finished = true;
        sender.shutdown();
        try {
            sender.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        String state = exitCode == 0 ? "FINISHED" : "FAILED";
        client.send("PATCH", "/api/v1/runs/" + id, Json.write(Map.of("state", state)), 5);
    }

    public void finish() {
        finish(0);
    }

    @Override
    public void close() {
        finish(0);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Map<String, ?> config() {
        return config;
    }

    /** The last value logged for each key. */
    public Map<String, Double> summary() {
        return new LinkedHashMap<>(summary);
    }
}

package dev.trainyard.client;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
 *
 * <p>Nothing here throws into the caller's training. A key the server would refuse is a warning
 * and is left out. Points the server refuses, and everything once the server is gone for good (at
 * {@link #finish}, or when {@value #OFFLINE_AT} points are waiting), go to the offline journal,
 * with a warning that says how to upload it.
 */
public final class TrainyardRun implements AutoCloseable {

    record Point(String key, long step, double value, Instant time) {
    }

    /** The JDK's logger (java.util.logging, unless a bridge such as Spring Boot's routes it on): the client's jar needs nothing else. */
    private static final System.Logger log = System.getLogger(TrainyardRun.class.getName());
    /** The server's MetricKeys rule, copied: the client's jar carries no server classes. */
    private static final Pattern KEY = Pattern.compile("(?! )(?!.* $)(?!.*(^|/)\\.{1,2}(/|$))(?!/)(?!.*//)(?!.*/$)[A-Za-z0-9_./= -]{1,250}");
    private static final String KEY_RULE = "[A-Za-z0-9_./= -]{1,250}, with no space at either end and no empty, \".\" or \"..\" segment between slashes";
    private static final int FLUSH_AT = 1000;
    private static final int BATCH_LIMIT = 10_000;
    /** Points waiting for a server that does not answer, beyond which they go to the journal instead of memory. */
    static final int OFFLINE_AT = 1_000_000;

    private final TrainyardClient client;
    private final Map<String, Object> create;
    private final String id;
    private final String name;
    private final Map<String, ?> config;
    private final ConcurrentLinkedQueue<Point> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong nextStep = new AtomicLong();
    private final Map<String, Double> summary = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sender;
    private final List<Point> unsent = new ArrayList<>();
    private volatile boolean finished;
    /** Set once the run logs to the journal only; null while it logs to the server. */
    private volatile Journal journal;
    /** Points the server refused while the run is online. */
    private Journal refused;

    private TrainyardRun(TrainyardClient client, Map<String, Object> create, String id, String name, Map<String, ?> config) {
        this.client = client;
        this.create = create;
        this.id = id;
        this.name = name;
        this.config = config == null ? Map.of() : Map.copyOf(config);
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "trainyard-run-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** A run the server created. */
    static TrainyardRun online(TrainyardClient client, Map<String, Object> create, String id, String name, Map<String, ?> config) {
        var run = new TrainyardRun(client, create, id, name, config);
        run.sender.scheduleWithFixedDelay(run::flushQuietly, 1, 1, TimeUnit.SECONDS);
        run.sender.scheduleWithFixedDelay(run::heartbeat, 30, 30, TimeUnit.SECONDS);
        return run;
    }

    /** A run that logs to a journal from the start, because of {@code reason}; its id is a local one until it is synced. */
    static TrainyardRun offline(TrainyardClient client, Map<String, Object> create, String name, Map<String, ?> config, String reason) {
        String localId = "offline-" + UUID.randomUUID().toString().substring(0, 8);
        var run = new TrainyardRun(client, create, localId, name, config);
        run.sender.scheduleWithFixedDelay(run::flushQuietly, 1, 1, TimeUnit.SECONDS);
        run.goOffline(reason, null);
        return run;
    }

    /** A run that logs nothing anywhere ({@code TRAINYARD_MODE=disabled}). */
    static TrainyardRun disabled(String name, Map<String, ?> config) {
        var run = new TrainyardRun(null, null, "disabled", name, config);
        run.sender.shutdown();
        return run;
    }

    /** Logs the values at the next step: each call is one step, as with {@code wandb.log}. */
    public void log(Map<String, ? extends Number> values) {
        log(values, nextStep.get());
    }

    /** Logs the values at {@code step}; later calls without a step continue after it. */
    public void log(Map<String, ? extends Number> values, long step) {
        if (finished) {
            warnOnce("finished", "run {0} is finished; points logged after finish() are left out", id);
            return;
        }
        if (step < 0) {
            warnOnce("step", "step must be 0 or more, was {0}; those points are left out", step);
            return;
        }
        Instant now = Instant.now();
        int added = 0;
        for (var entry : values.entrySet()) {
            String key = entry.getKey();
            if (key == null || !KEY.matcher(key).matches() || entry.getValue() == null) {
                warnOnce("key:" + key, "metric key ''{0}'' must match {1}, with a number as its value; it is left out", key, KEY_RULE);
                continue;
            }
            double v = entry.getValue().doubleValue();
            if (client != null) {
                queue.add(new Point(key, step, v, now));
            }
            summary.put(key, v);
            added++;
        }
        nextStep.accumulateAndGet(step + 1, Math::max);
        if (client != null && queued.addAndGet(added) >= FLUSH_AT && !sender.isShutdown()) {
            sender.execute(this::flushQuietly);
        }
    }

    /**
     * Sends every queued point now, on the caller's thread. Throws when the server cannot be
     * reached (the points stay queued); points it refuses go to the journal instead.
     */
    public synchronized void flush() {
        if (client == null) {
            queue.clear();
            return;
        }
        Point p;
        while ((p = queue.poll()) != null) {
            queued.decrementAndGet();
            unsent.add(p);
        }
        while (!unsent.isEmpty()) {
            List<Point> batch = unsent.subList(0, Math.min(BATCH_LIMIT, unsent.size()));
            var wire = TrainyardClient.wire(batch);
            if (journal != null) {
                journal.points(wire);
            } else {
                try {
                    client.send("POST", "/api/v1/runs/" + id + "/metrics", Json.write(Map.of("points", wire)), 5);
                } catch (TrainyardException e) {
                    if (!e.refused()) {
                        throw e;
                    }
                    warnOnce("refused", "Trainyard refused points of run {0} ({1}); they are kept in the journal {2}", id,
                            e.getMessage(), refusedJournal().path());
                    refusedJournal().points(wire);
                }
            }
            batch.clear();
        }
    }

    private synchronized void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            if (unsent.size() >= OFFLINE_AT) {
                goOffline("Trainyard has not answered while " + unsent.size() + " points waited (" + e.getMessage() + ")", id);
            } else {
                log.log(System.Logger.Level.WARNING, "Could not send points of run {0} yet; keeping them: {1}", id, e.getMessage());
            }
        }
    }

    private void heartbeat() {
        try {
            client.send("POST", "/api/v1/runs/" + id + "/heartbeat", null, 1);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.DEBUG, "Heartbeat of run {0} failed: {1}", id, e.getMessage());
        }
    }

    /**
     * Sends everything, then ends the run: FINISHED for exit code 0, FAILED otherwise. When the
     * server cannot take them, the points and the ending go to the journal, with a warning.
     */
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
        if (client == null) {
            return;
        }
        String state = exitCode == 0 ? "FINISHED" : "FAILED";
        try {
            flush();
            if (journal == null) {
                client.send("PATCH", "/api/v1/runs/" + id, Json.write(Map.of("state", state)), 5);
            }
        } catch (RuntimeException e) {
            goOffline("Trainyard could not take the end of run " + id + " (" + e.getMessage() + ")", id);
        }
        try {
            if (journal != null) {
                flush();
                journal.finish(state);
                journal.close();
            }
            if (refused != null && refused != journal) {
                refused.close();
            }
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, "Could not write the journal of run {0}; its last points are lost: {1}", id, e.getMessage());
        }
    }

    public void finish() {
        finish(0);
    }

    @Override
    public void close() {
        finish(0);
    }

    /** From now on points go to the journal; {@code serverId} is the run's id on the server, if it has one. */
    private synchronized void goOffline(String reason, String serverId) {
        if (journal != null) {
            return;
        }
        try {
            // A run whose points were refused goes on in the journal that holds them: one run, one journal.
            journal = refused != null ? refused
                    : Journal.open(client.journals(), serverId == null ? id : "local-" + id, client.base().toString(), create, serverId);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, "{0}, and no journal can be written ({1}): run {2} logs nothing from now on",
                    reason, e.getMessage(), id);
            queue.clear();
            unsent.clear();
            finished = true;
            return;
        }
        log.log(System.Logger.Level.WARNING, "{0}; from now on run {1} logs to the journal {2}. Upload it later with: "
                + "java -cp trainyard-client.jar dev.trainyard.client.Sync (or python -m trainyard sync)", reason, id, journal.path());
    }

    /** Where refused points go while the run stays online: the server will never take them, but they are not lost. */
    private synchronized Journal refusedJournal() {
        if (refused == null) {
            refused = Journal.open(client.journals(), "refused-" + id, client.base().toString(), create, id);
        }
        return refused;
    }

    private void warnOnce(String what, String message, Object... args) {
        if (warned.add(what)) {
            log.log(System.Logger.Level.WARNING, message, args);
        }
    }

    /** The run's id on the server, or a local {@code offline-...} id for a run logged offline from the start. */
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

    /** The offline journal this run writes to, if it has gone offline. */
    public Optional<Path> journal() {
        Journal j = journal;
        return Optional.ofNullable(j == null ? null : j.path());
    }
}

package dev.trainyard.jobs;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.trainyard.shared.DaemonPools;
import dev.trainyard.shared.db.Database;
import dev.trainyard.shared.Ids;
import dev.trainyard.shared.NodeRole;
import dev.trainyard.shared.TrainyardProperties;
import dev.trainyard.tracking.JobQueued;
import dev.trainyard.tracking.RunStopped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * {@code trainyard.workers.count} threads that claim queued jobs and train them, one at a time
 * each. Idle workers wake when a job is queued here, and poll for jobs queued elsewhere. On start
 * the jobs a dead process left RUNNING go back to the queue; on shutdown the running ones do.
 */
@Component
class WorkerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobQueue queue;
    private final JobRunner runner;
    private final WorkerSettings settings;
    private final Clock clock;
    private final int workerCount;
    private final Duration abandonedAtStart;
    private final String node = nodeName();
    private final Map<String, AtomicBoolean> stopFlags = new ConcurrentHashMap<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Object work = new Object();
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    /** When this node last found the database out of reach, if it has. */
    private volatile Instant lastOutage;

    WorkerPool(JobQueue queue, JobRunner runner, WorkerSettings settings, TrainyardProperties properties, Database database,
            Clock clock) {
        this.queue = queue;
        this.runner = runner;
        this.settings = settings;
        this.clock = clock;
        this.workerCount = properties.role().trains() ? settings.count() : 0;
        // Embedded H2 admits one process, so at start-up whatever is RUNNING has no live owner. With a
        // shared database other nodes may be training: only jobs whose lease ran out are abandoned.
        this.abandonedAtStart = properties.role() == NodeRole.ALL && database.isEmbedded()
                ? Duration.ZERO : settings.lease();
    }

    /** Workers of this node that train nothing now, and so would claim a queued job at once. */
    int idleWorkers() {
        return running ? Math.max(0, workerCount - stopFlags.size()) : 0;
    }

    @Override
    public void start() {
        int requeued = queue.requeueAbandoned(abandonedAtStart, settings.maxAttempts());
        if (requeued > 0) {
            log.info("Requeued {} job(s) left running by a previous process", requeued);
        }
        running = true;
        shuttingDown.set(false);
        var threadNumber = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.max(1, workerCount),
                r -> new Thread(r, "trainyard-worker-" + threadNumber.incrementAndGet()));
        // Heartbeats and epoch flushes: short, and never on a training thread.
        scheduler = DaemonPools.scheduled("trainyard-jobs", 2);
        for (int i = 0; i < workerCount; i++) {
            workers.submit(this::work);
        }
        log.info("Started {} training worker(s) as node {}, {} ND4J thread(s) per job", workerCount, node,
                settings.threadsPerJob());
    }

    private void work() {
        if (TrainingPriority.lowerCurrentThread(settings.nice())) {
            log.debug("{} trains at nice {}", Thread.currentThread().getName(), settings.nice());
        }
        while (running) {
            try {
                Optional<ClaimedJob> job = queue.claimNext(node);
                if (job.isEmpty()) {
                    awaitWork();
                    continue;
                }
                var stop = new AtomicBoolean(shuttingDown.get());
                stopFlags.put(job.get().runId(), stop);
                try {
                    runner.run(job.get(), node, stop, shuttingDown, scheduler);
                } finally {
                    stopFlags.remove(job.get().runId());
                }
            } catch (RuntimeException | Error e) {
                // A worker that let an Error through would stop claiming jobs, silently
                log.warn("Worker loop error; retrying after the poll interval", e);
                awaitWork();
            }
        }
    }

    private void awaitWork() {
        synchronized (work) {
            try {
                work.wait(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onQueued(JobQueued queued) {
        synchronized (work) {
            work.notifyAll();
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onStopped(RunStopped stopped) {
        var flag = stopFlags.get(stopped.runId());
        if (flag != null) {
            flag.set(true);
        }
    }

    /**
     * Jobs whose worker died in another process come back once their lease runs out. Looked for
     * every poll interval, not every lease: checked only once a lease, a job would wait up to two.
     * A lease only runs while the database is reachable: while it was away no owner could renew
     * one, so after an outage this node gives every owner a full lease to heartbeat again before
     * it requeues anything.
     */
    @Scheduled(fixedDelayString = "${trainyard.workers.poll-interval:2s}", initialDelayString = "${trainyard.workers.poll-interval:2s}")
    void reapAbandoned() {
        if (!running) {
            return;
        }
        Instant outage = lastOutage;
        try {
            if (outage != null && clock.instant().isBefore(outage.plus(settings.lease()).plus(settings.heartbeatInterval()))) {
                queue.ping();
            } else {
                queue.requeueAbandoned(settings.lease(), settings.maxAttempts());
            }
        } catch (RuntimeException e) {
            if (!Database.isUnreachable(e)) {
                throw e;
            }
            lastOutage = clock.instant();
            log.warn("Cannot look for abandoned jobs, the database is out of reach: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        shuttingDown.set(true);
        stopFlags.values().forEach(flag -> flag.set(true));
        synchronized (work) {
            work.notifyAll();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("Workers did not stop within 60 s");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    String node() {
        return node;
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        return host + "-" + Ids.newId().substring(0, 6);
    }
}

package dev.trainyard.jobs;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.trainyard.shared.Database;
import dev.trainyard.shared.Ids;
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
    private final int workerCount;
    private final Duration abandonedAtStart;
    private final String node = nodeName();
    private final Map<String, AtomicBoolean> stopFlags = new ConcurrentHashMap<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Object work = new Object();
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;

    WorkerPool(JobQueue queue, JobRunner runner, WorkerSettings settings, TrainyardProperties properties, Database database) {
        this.queue = queue;
        this.runner = runner;
        this.settings = settings;
        this.workerCount = properties.role().trains() ? settings.count() : 0;
        // Embedded H2 admits one process, so at start-up whatever is RUNNING has no live owner. With a
        // shared database other nodes may be training: only jobs whose lease ran out are abandoned.
        this.abandonedAtStart = properties.role() == TrainyardProperties.Role.ALL && database.isEmbedded()
                ? Duration.ZERO : settings.lease();
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
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            var t = new Thread(r, "trainyard-jobs-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < workerCount; i++) {
            workers.submit(this::work);
        }
        log.info("Started {} training worker(s) as node {}, {} ND4J thread(s) per job", workerCount, node,
                settings.threadsPerJob());
    }

    private void work() {
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

    /** Jobs whose worker died in another process come back after their lease runs out. */
    @Scheduled(fixedDelayString = "${trainyard.workers.lease:30s}", initialDelayString = "${trainyard.workers.lease:30s}")
    void reapAbandoned() {
        if (running) {
            queue.requeueAbandoned(settings.lease(), settings.maxAttempts());
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

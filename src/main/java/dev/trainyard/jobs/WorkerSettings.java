package dev.trainyard.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The training worker pool.
 *
 * @param count             concurrent training jobs in this process; 0 runs none (a web-only node)
 * @param heartbeatInterval how often a worker renews the lease of the job it trains
 * @param lease             a RUNNING job whose heartbeat is older than this is taken to be abandoned, and
 *                          requeued within a poll interval
 * @param pollInterval      how often idle workers look for jobs queued by another process, and every
 *                          node (web ones too) for abandoned jobs
 * @param maxAttempts       how many times a job may be abandoned (its worker gone without handing it back)
 *                          before it is failed instead of requeued
 * @param threadsPerJob     ND4J threads each job may use; by default the cores divided among the workers
 * @param flushInterval     how often a training job's new epochs are committed (and so pushed live)
 * @param nice              the Linux nice value of training threads (0 to 19): above 0, requests are served
 *                          before training when the jobs fill the cores; 0 lets them compete as equals
 */
@ConfigurationProperties("trainyard.workers")
record WorkerSettings(Integer count, Duration heartbeatInterval, Duration lease, Duration pollInterval, Integer maxAttempts,
        Integer threadsPerJob, Duration flushInterval, Integer nice) {

    WorkerSettings {
        count = count == null ? 1 : count;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(5) : heartbeatInterval;
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        flushInterval = flushInterval == null ? Duration.ofMillis(100) : flushInterval;
        nice = nice == null ? 10 : nice;
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("trainyard.workers.nice must be from 0 to 19, not " + nice);
        }
    }

    /** By default concurrent jobs share the cores rather than fight over them. */
    @Override
    public Integer threadsPerJob() {
        return threadsPerJob != null && threadsPerJob > 0 ? threadsPerJob
                : Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, count));
    }
}

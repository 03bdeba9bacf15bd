package dev.trainyard.tracking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param crashAfter an external run with no heartbeat and no metrics for this long becomes CRASHED
 * @param maxPageSize the most runs one page of {@code GET /runs} may ask for
 * @param maxQueuedJobsPerUser in team mode, the most jobs one user may have waiting in the queue, so
 *                    that one script cannot push everyone else's work back by days
 */
@ConfigurationProperties("trainyard.runs")
public record RunSettings(Duration crashAfter, Integer maxPageSize, Integer maxQueuedJobsPerUser) {

    public RunSettings {
        crashAfter = crashAfter == null ? Duration.ofMinutes(5) : crashAfter;
        maxPageSize = maxPageSize == null ? 500 : maxPageSize;
        maxQueuedJobsPerUser = maxQueuedJobsPerUser == null ? 100 : maxQueuedJobsPerUser;
    }
}

package dev.trainyard.tracking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param crashAfter an external run with no heartbeat and no metrics for this long becomes CRASHED
 * @param maxPageSize the most runs one page of {@code GET /runs} may ask for
 */
@ConfigurationProperties("trainyard.runs")
public record RunSettings(Duration crashAfter, Integer maxPageSize) {

    public RunSettings {
        crashAfter = crashAfter == null ? Duration.ofMinutes(5) : crashAfter;
        maxPageSize = maxPageSize == null ? 500 : maxPageSize;
    }
}

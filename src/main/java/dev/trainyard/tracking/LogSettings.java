package dev.trainyard.tracking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxLinesPerRun lines a run's log keeps; past it the oldest are dropped, and counted
 * @param maxBatchLines  lines one {@code POST .../logs} may carry
 */
@ConfigurationProperties("trainyard.logs")
public record LogSettings(Integer maxLinesPerRun, Integer maxBatchLines) {

    public LogSettings {
        maxLinesPerRun = maxLinesPerRun == null ? 10_000 : maxLinesPerRun;
        maxBatchLines = maxBatchLines == null ? 5_000 : maxBatchLines;
        if (maxLinesPerRun < 1) {
            throw new IllegalArgumentException("trainyard.logs.max-lines-per-run must be at least 1, was " + maxLinesPerRun);
        }
        if (maxBatchLines < 1) {
            throw new IllegalArgumentException("trainyard.logs.max-batch-lines must be at least 1, was " + maxBatchLines);
        }
    }
}

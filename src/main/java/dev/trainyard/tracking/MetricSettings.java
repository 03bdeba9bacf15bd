package dev.trainyard.tracking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxBatchPoints  points one {@code POST .../metrics} may carry
 * @param maxHistoryPoints the largest {@code maxPoints} a history query may ask for
 * @param maxKeysPerRun   distinct metric keys one run may log, so a runaway script cannot flood the store
 */
@ConfigurationProperties("trainyard.metrics")
public record MetricSettings(Integer maxBatchPoints, Integer maxHistoryPoints, Integer maxKeysPerRun) {

    public MetricSettings {
        maxBatchPoints = maxBatchPoints == null ? 100_000 : maxBatchPoints;
        maxHistoryPoints = maxHistoryPoints == null ? 100_000 : maxHistoryPoints;
        maxKeysPerRun = maxKeysPerRun == null ? 1000 : maxKeysPerRun;
    }
}

package dev.trainyard.tracking.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxBatchPoints  points one {@code POST .../metrics} may carry
 * @param maxHistoryPoints the largest {@code maxPoints} a history query may ask for
 */
@ConfigurationProperties("trainyard.metrics")
record MetricSettings(Integer maxBatchPoints, Integer maxHistoryPoints) {

    MetricSettings {
        maxBatchPoints = maxBatchPoints == null ? 100_000 : maxBatchPoints;
        maxHistoryPoints = maxHistoryPoints == null ? 100_000 : maxHistoryPoints;
    }
}

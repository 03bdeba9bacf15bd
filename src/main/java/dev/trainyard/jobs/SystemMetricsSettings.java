package dev.trainyard.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param interval how often a running job samples the process's CPU and memory as its
 *                 {@code system/...} metrics; zero turns sampling off
 */
@ConfigurationProperties("trainyard.system-metrics")
record SystemMetricsSettings(Duration interval) {

    SystemMetricsSettings {
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        if (interval.isNegative()) {
            throw new IllegalArgumentException("trainyard.system-metrics.interval must not be negative, was " + interval);
        }
    }
}

package dev.trainyard.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits on what one job may ask for, checked when it is queued.
 *
 * @param maxWork the most work one job may book: steps × time steps × sequences × parameters, about the
 *                multiply-adds of its forward passes. Large models trained 1-2 × 10^9 of it a second on
 *                one busy core here, so the default, 2 × 10^14, is a day or two of one core: one request
 *                cannot book the machine for a week.
 */
@ConfigurationProperties("trainyard.jobs")
record JobSettings(Long maxWork) {

    JobSettings {
        maxWork = maxWork == null ? 200_000_000_000_000L : maxWork;
    }
}

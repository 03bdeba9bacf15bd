package dev.trainyard.tracking;

import java.time.Clock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Scripts' runs that stopped sending heartbeats and metrics for {@code trainyard.runs.crash-after} are marked CRASHED. */
@Component
class CrashDetector {

    private final RunLifecycle lifecycle;
    private final RunSettings settings;
    private final Clock clock;

    CrashDetector(RunLifecycle lifecycle, RunSettings settings, Clock clock) {
        this.lifecycle = lifecycle;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${trainyard.runs.crash-check-interval:15s}", initialDelayString = "${trainyard.runs.crash-check-interval:15s}")
    @Transactional
    public void detectCrashes() {
        lifecycle.crashSilent(clock.instant().minus(settings.crashAfter()));
    }
}

package dev.trainyard.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The runs table's column menu, the config and metric keys of a project, kept for a few seconds:
 * reading them touches every run of the project (200,000 config rows for 10,000 runs, over 100 ms
 * on H2), on every page load. A new key written here empties the cache when it commits; one
 * written on another node shows after at most {@link #TTL}.
 */
@Component
class ProjectKeyCache {

    static final Duration TTL = Duration.ofSeconds(10);
    /** Projects kept at once; past it the cache starts again empty rather than track recency. */
    private static final int MAX_PROJECTS = 1000;

    private record Entry(RunSearch.Keys keys, long generation, Instant readAt) {
    }

    private final Map<String, Entry> byProject = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Clock clock;

    ProjectKeyCache(Clock clock) {
        this.clock = clock;
    }

    RunSearch.Keys get(String project, Supplier<RunSearch.Keys> read) {
        Instant now = clock.instant();
        Entry cached = byProject.get(project);
        if (cached != null && cached.generation() == generation.get() && cached.readAt().plus(TTL).isAfter(now)) {
            return cached.keys();
        }
        // Read under the generation seen before reading: a change that commits meanwhile makes this entry stale at once.
        long seen = generation.get();
        RunSearch.Keys keys = read.get();
        if (byProject.size() >= MAX_PROJECTS) {
            byProject.clear();
        }
        byProject.put(project, new Entry(keys, seen, now));
        return keys;
    }

    /** A run got a config key or a metric key it did not have: forget every project's keys now and when that commits. */
    void keysChanged() {
        generation.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    generation.incrementAndGet();
                }
            });
        }
    }
}

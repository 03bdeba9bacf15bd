package dev.trainyard.tracking;

import java.time.Instant;

/**
 * A project as the projects list shows it: its active runs and when the newest thing happened in
 * any of them (a run created, started, beating or ending), null while it has none.
 */
public record ProjectSummary(String id, String slug, String name, String description, Instant createdAt, long runs,
        Instant lastActivity) {
}

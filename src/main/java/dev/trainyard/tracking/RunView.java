package dev.trainyard.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A run as the API and the dashboard show it. {@code project} is the project's slug and
 * {@code projectName} its display name. {@code job} is the spec with a {@code progress} entry, for
 * job runs only; {@code error} only for runs that failed. {@code lastEventId} is where a live
 * stream opened after reading this view should resume; {@code nextStep}, on single-run reads only,
 * is where a resumed script's steps go on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String id, String project, String projectName, String entity, String group, String jobType,
        String name, RunKind kind, RunState state, Object config,
        List<String> tags, String notes, Instant createdAt, Instant startedAt, Instant endedAt, Instant heartbeatAt,
        Map<String, Double> summary, Map<String, Object> job, String error, long lastEventId, Long nextStep) {

    /** The job's progress: {@code step}, {@code steps}, {@code etaSeconds}; null for external runs. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> progress() {
        return job == null ? null : (Map<String, Object>) job.get("progress");
    }
}

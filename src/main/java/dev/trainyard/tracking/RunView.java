package dev.trainyard.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A run as the API and the dashboard show it. {@code project} is the project's slug and
 * {@code projectName} its display name. {@code job} is the spec and its progress, for job runs
 * only; {@code error} only for runs that failed. {@code lastEventId} is where a live
 * stream opened after reading this view should resume; {@code nextStep}, on single-run reads only,
 * is where a resumed script's steps go on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String id, String project, String projectName, String entity, String group, String jobType,
        String name, RunKind kind, RunState state, Object config,
        List<String> tags, String notes, Instant createdAt, Instant startedAt, Instant endedAt, Instant heartbeatAt,
        Map<String, Double> summary, JobSummary job, String error, long lastEventId, Long nextStep) {

    /** The job's progress; null for external runs. */
    public Progress progress() {
        return job == null ? null : job.progress();
    }
}

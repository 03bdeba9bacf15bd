package dev.trainyard.tracking;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.trainyard.training.JobSpec;

/**
 * What creating a run needs. {@code job} is null for an external run; config is a JSON object;
 * {@code group} ties runs together (a sweep's runs share its id) and may be null, as may
 * {@code entity} and {@code jobType}. {@code id} is a script's own choice of id, null for a new
 * one; with it, {@code resume} says what to do when that run exists. {@code startedAt} is when a
 * script says its run began (MLflow's {@code start_time}), null for now.
 */
public record NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job,
        String group, String entity, String jobType, String id, Resume resume, Instant startedAt) {

    public NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job,
            String group, String entity, String jobType, String id, Resume resume) {
        this(project, name, configJson, tags, notes, job, group, entity, jobType, id, resume, null);
    }

    public NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job) {
        this(project, name, configJson, tags, notes, job, null);
    }

    public NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job, String group) {
        this(project, name, configJson, tags, notes, job, group, null, null, null, Resume.NEVER);
    }

    /** wandb's {@code resume}: what a create with an existing run's {@code id} does. */
    public enum Resume {
        /** Continue the run if it exists, else create it with that id. */
        ALLOW,
        /** Continue the run; it must exist. */
        MUST,
        /** The id must be new. */
        NEVER;

        /** As wandb spells them, in any case. */
        @JsonCreator
        public static Resume of(String value) {
            for (Resume r : values()) {
                if (r.name().equalsIgnoreCase(value)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("resume must be allow, must or never, not '" + value + "'");
        }
    }
}

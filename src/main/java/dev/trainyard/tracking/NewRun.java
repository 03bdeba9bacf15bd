package dev.trainyard.tracking;

import java.util.Set;

import dev.trainyard.training.JobSpec;

/**
 * What creating a run needs. {@code job} is null for an external run; config is a JSON object;
 * {@code group} ties the runs of one sweep together and may be null.
 */
public record NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job,
        String group) {

    public NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job) {
        this(project, name, configJson, tags, notes, job, null);
    }
}

package dev.trainyard.tracking;

import java.util.Set;

import dev.trainyard.training.JobSpec;

/** What creating a run needs. {@code job} is null for an external run; config is a JSON object. */
public record NewRun(String project, String name, String configJson, Set<String> tags, String notes, JobSpec job) {
}

package dev.trainyard.mlflow;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** MLflow's entities as {@code service.proto} names them, for the JSON answers. */
public final class Messages {

    private Messages() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Experiment(String experimentId, String name, String artifactLocation, String lifecycleStage,
            long lastUpdateTime, long creationTime, List<Tag> tags) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunInfo(String runId, String runUuid, String runName, String experimentId, String userId, String status,
            Long startTime, Long endTime, String artifactUri, String lifecycleStage) {
    }

    public record Metric(String key, double value, long timestamp, long step) {
    }

    public record Param(String key, String value) {
    }

    public record Tag(String key, String value) {
    }

    public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {
    }

    public record Run(RunInfo info, RunData data) {
    }

    /** An entry of an artifact listing; a folder has no size. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileInfo(String path, boolean isDir, Long fileSize) {
    }
}

package dev.trainyard.mlflow.web;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.mlflow.ErrorCode;
import dev.trainyard.mlflow.Messages.Metric;
import dev.trainyard.mlflow.Messages.Param;
import dev.trainyard.mlflow.Messages.Tag;
import dev.trainyard.mlflow.MlflowException;
import dev.trainyard.mlflow.MlflowRuns;
import dev.trainyard.mlflow.ViewType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** MLflow's run and metric endpoints, under both prefixes MLflow's server serves them on. */
@RestController
@RequestMapping({"/api/2.0/mlflow", "/ajax-api/2.0/mlflow"})
class MlflowRunController {

    private final MlflowRuns runs;
    private final Clock clock;

    /** MLflow's {@code MAX_BATCH_LOG_REQUEST_SIZE}: larger bodies are refused before anything is logged. */
    static final int MAX_BATCH_BYTES = 1_000_000;

    MlflowRunController(MlflowRuns runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    @PostMapping("/runs/create")
    Map<String, Object> create(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        List<Tag> tags = b.list("tags", Body::tagOf);
        return Map.of("run", runs.create(b.string("experiment_id"), b.string("user_id"), b.int64("start_time"), b.string("run_name"),
                tags));
    }

    @GetMapping("/runs/get")
    Map<String, Object> get(@RequestParam(name = "run_id", required = false) String runId,
            @RequestParam(name = "run_uuid", required = false) String runUuid) {
        return Map.of("run", runs.get(runIdOf(runId, runUuid)));
    }

    @PostMapping("/runs/update")
    Map<String, Object> update(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        return Map.of("run_info", runs.update(runIdOf(b), b.string("status"), b.string("run_name")));
    }

    @PostMapping("/runs/log-metric")
    Map<String, Object> logMetric(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        runs.logMetrics(runIdOf(b), List.of(metricOf(b)));
        return Map.of();
    }

    @PostMapping("/runs/log-parameter")
    Map<String, Object> logParameter(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        runs.logParams(runIdOf(b), List.of(new Param(b.requiredString("key"), b.requiredString("value"))));
        return Map.of();
    }

    @PostMapping("/runs/log-batch")
    Map<String, Object> logBatch(@RequestBody(required = false) byte[] body) {
        if (body != null && body.length > MAX_BATCH_BYTES) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Batched logging API requests must be at most " + MAX_BATCH_BYTES + " bytes (1 MB) in size; "
                    + "this one is " + body.length + " bytes");
        }
        Body b = Body.of(body);
        String runId = runIdOf(b);
        runs.logBatch(runId, b.list("metrics", this::metricOf),
                b.list("params", p -> new Param(p.requiredString("key"), p.requiredString("value"))),
                b.list("tags", Body::tagOf));
        return Map.of();
    }

    @PostMapping("/runs/delete")
    Map<String, Object> delete(@RequestBody(required = false) byte[] body) {
        runs.delete(runIdOf(Body.of(body)));
        return Map.of();
    }

    @PostMapping("/runs/restore")
    Map<String, Object> restore(@RequestBody(required = false) byte[] body) {
        runs.restore(runIdOf(Body.of(body)));
        return Map.of();
    }

    @PostMapping("/runs/set-tag")
    Map<String, Object> setTag(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        runs.setTags(runIdOf(b), List.of(Body.tagOf(b)));
        return Map.of();
    }

    @PostMapping("/runs/delete-tag")
    Map<String, Object> deleteTag(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        runs.deleteTag(b.requiredString("run_id"), b.requiredString("key"));
        return Map.of();
    }

    @PostMapping("/runs/search")
    Map<String, Object> search(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        var page = runs.search(b.strings("experiment_ids"), b.string("filter"), ViewType.of(b.string("run_view_type"), "run_view_type"),
                b.strings("order_by"), b.int32("max_results"), b.string("page_token"));
        var answer = new HashMap<String, Object>();
        answer.put("runs", page.items());
        if (page.nextPageToken() != null) {
            answer.put("next_page_token", page.nextPageToken());
        }
        return answer;
    }

    @GetMapping("/metrics/get-history")
    Map<String, Object> history(@RequestParam(name = "run_id", required = false) String runId,
            @RequestParam(name = "run_uuid", required = false) String runUuid,
            @RequestParam(name = "metric_key", required = false) String key,
            @RequestParam(name = "max_results", required = false) String maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Integer max;
        try {
            max = maxResults == null || maxResults.isBlank() ? null : Integer.valueOf(maxResults.strip());
        } catch (NumberFormatException e) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value '" + maxResults + "' for parameter 'max_results'");
        }
        var page = runs.history(runIdOf(runId, runUuid), MlflowExperimentController.required("metric_key", key), max, pageToken);
        var answer = new HashMap<String, Object>();
        answer.put("metrics", page.items());
        if (page.nextPageToken() != null) {
            answer.put("next_page_token", page.nextPageToken());
        }
        return answer;
    }

    /**
     * The rest of MLflow's API (artifacts, model registry, log-inputs, ...) is not served: the
     * client is told so in MLflow's terms rather than with a page it cannot read.
     */
    @RequestMapping("/**")
    Map<String, Object> notServed(jakarta.servlet.http.HttpServletRequest request) {
        throw new MlflowException(ErrorCode.ENDPOINT_NOT_FOUND, "Trainyard does not serve " + request.getMethod() + " "
                + request.getRequestURI() + " of MLflow's API; see the README's MLflow section for what it serves");
    }

    /** A point as MLflow sends it: a missing step is 0, and a missing timestamp is now. */
    private Metric metricOf(Body b) {
        Long timestamp = b.int64("timestamp");
        Long step = b.int64("step");
        return new Metric(b.requiredString("key"), b.requiredDouble("value"), timestamp == null ? clock.millis() : timestamp,
                step == null ? 0 : step);
    }

    /** MLflow's older clients name the run {@code run_uuid}; newer ones {@code run_id}. */
    private static String runIdOf(Body b) {
        return runIdOf(b.string("run_id"), b.string("run_uuid"));
    }

    private static String runIdOf(String runId, String runUuid) {
        String id = runId != null && !runId.isBlank() ? runId : runUuid;
        if (id == null || id.isBlank()) {
            throw Body.missing("run_id");
        }
        return id;
    }
}

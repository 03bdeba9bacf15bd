package dev.trainyard.tracking.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.MetricDefinition;
import dev.trainyard.tracking.MetricCondition;
import dev.trainyard.tracking.MetricKeys;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunAlert;
import dev.trainyard.tracking.RunAlerts;
import dev.trainyard.tracking.ConfigCondition;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunPatch;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunSamples;
import dev.trainyard.tracking.RunStart;
import dev.trainyard.tracking.Sample;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/runs")
@Tag(name = "Runs")
class RunController {

    record CreateRun(
            @NotBlank @Size(max = 200) String project,
            @Size(max = 200) String name,
            @Schema(description = "a script's hyper-parameters; with `job` the job's own (its spec with the model's "
                    + "defaults) are added and win a clash") Map<String, Object> config,
            @Size(max = 100) List<@NotBlank @Size(max = 100) String> tags,
            @Size(max = 100_000) String notes,
            @Valid JobSpec job,
            @Schema(description = "a namespace kept with the run (wandb's entity)") @Size(max = 100) String entity,
            @Size(min = 1, max = 128) String group,
            @Schema(description = "kept with the run and added as a tag") @Size(min = 1, max = 64) String jobType,
            @Schema(description = "a script's own id for its run, to resume it by later")
            @Pattern(regexp = "[A-Za-z0-9_-]{1,32}", message = "must be 1 to 32 letters, digits, '_' or '-'") String id,
            @Schema(description = "with `id`: allow (continue it if it exists), must (it must exist) or never (default)")
            NewRun.Resume resume) {
    }

    record PatchRun(
            @Size(min = 1, max = 200) String name,
            @Size(max = 100) List<@NotBlank @Size(max = 100) String> tags,
            @Size(max = 100_000) String notes,
            RunState state,
            @Schema(description = "replaces the whole config; external runs only") Map<String, Object> config,
            @Schema(description = "summary values the script sets; they win over the keys' summary modes; null removes one")
            @Size(max = 1000) @JsonDeserialize(contentUsing = MetricValueDeserializer.class) Map<String, Double> summary,
            @Schema(description = "define_metric: per key, summary (last, min, max, mean, none), goal (minimize, maximize), stepMetric")
            @Size(max = 1000) Map<String, MetricDefinition> metrics) {
    }

    record RaiseAlert(@NotBlank @Size(max = 200) String title, @Size(max = 10_000) String text, RunAlert.Level level) {
    }

    record Page(List<RunView> content, int page, int size, long totalElements, long totalPages) {
    }

    private final RunManagement runs;
    private final RunSearch search;
    private final RunViews views;
    private final RunSamples samples;
    private final RunAlerts alerts;
    private final JsonMapper json;

    RunController(RunManagement runs, RunSearch search, RunViews views, RunSamples samples, RunAlerts alerts, JsonMapper json) {
        this.runs = runs;
        this.alerts = alerts;
        this.search = search;
        this.views = views;
        this.samples = samples;
        this.json = json;
    }

    @PostMapping
    @Operation(summary = "Create a run", description = "Without `job` the run is external (a script logs to it) and starts "
            + "RUNNING; with `job` it is QUEUED and a worker trains it. An unknown project is created: any display name "
            + "is accepted, and its slug derived. With `id` and `resume` an existing external run is continued (200) "
            + "instead of created (201); `nextStep` says where its steps go on.")
    ResponseEntity<RunView> create(@Valid @RequestBody CreateRun request) {
        String config = configJson(request.config());
        var tags = request.tags() == null ? null : new LinkedHashSet<>(request.tags());
        RunStart start = runs.start(new NewRun(request.project(), request.name(), config, tags, request.notes(), request.job(),
                blankToNull(request.group()), blankToNull(request.entity()), blankToNull(request.jobType()), request.id(),
                request.resume() == null ? NewRun.Resume.NEVER : request.resume()));
        String id = start.run().getId();
        return start.resumed() ? ResponseEntity.ok(views.of(id))
                : ResponseEntity.created(URI.create("/api/v1/runs/" + id)).body(views.of(id));
    }

    private String configJson(Map<String, Object> config) {
        String text = config == null ? null : json.writeValueAsString(config);
        if (text != null && text.length() > RunManagement.MAX_CONFIG_CHARS) {
            throw new BadRequestException("config", "must be at most " + RunManagement.MAX_CONFIG_CHARS + " characters of JSON");
        }
        return text;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @GetMapping
    @Operation(summary = "List runs", description = "Filters combine; `group` is a sweep id. `config` conditions (repeatable) "
            + "compare a config value: `lr>0.001`, `model=gru`; numbers with = != < <= > >=, text with = and !=. `metric` "
            + "conditions (repeatable) compare a metric's summary with a number: `loss<0.5` is the key's own summary (its "
            + "define_metric mode, last by default), `loss:min<0.5` picks last, min, max or mean. `sort` is name, "
            + "state, kind, createdAt, startedAt, endedAt, summary.<key>[:last|min|max|mean] or config.<key>, optionally "
            + "followed by `,desc`. Pages count from 0.")
    Page list(@RequestParam(required = false) String project, @RequestParam(required = false) String group,
            @RequestParam(required = false) RunState state,
            @RequestParam(required = false) String tag, @RequestParam(required = false) String q,
            @RequestParam(required = false) String sort, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size, @RequestParam(required = false) List<String> config,
            @RequestParam(required = false) List<String> metric) {
        var conditions = config == null ? List.<ConfigCondition>of() : config.stream().map(ConfigCondition::parse).toList();
        var metricConditions = metric == null ? List.<MetricCondition>of() : metric.stream().map(MetricCondition::parse).toList();
        RunPage result = search.find(new RunQuery(project, group, state, tag, q, sort, page, size, RunQuery.Lifecycle.ACTIVE,
                conditions, metricConditions, null));
        long pages = (result.total() + size - 1) / size;
        return new Page(views.of(result.runs()), page, size, result.total(), pages);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a run")
    RunView get(@PathVariable String id) {
        return views.of(id);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a run", description = "`state` may be FINISHED or FAILED, for external runs only; "
            + "repeating the same ending is harmless, changing it is a 409. `summary` sets summary values, `metrics` "
            + "defines how keys are summarised (wandb.define_metric).")
    RunView patch(@PathVariable String id, @Valid @RequestBody PatchRun request) {
        var tags = request.tags() == null ? null : new LinkedHashSet<>(request.tags());
        var patch = new RunPatch(request.name(), tags, request.notes(), request.state(), configJson(request.config()),
                checkedSummary(request.summary()), checkedDefinitions(request.metrics()));
        retryingConcurrentChanges(() -> runs.patch(id, patch));
        return views.of(id);
    }

    private static Map<String, Double> checkedSummary(Map<String, Double> summary) {
        if (summary != null) {
            summary.keySet().forEach(key -> MetricKeys.require("summary." + key, key));
        }
        return summary;
    }

    private static Map<String, MetricDefinition> checkedDefinitions(Map<String, MetricDefinition> metrics) {
        if (metrics == null) {
            return null;
        }
        var checked = new LinkedHashMap<String, MetricDefinition>();
        metrics.forEach((key, definition) -> {
            MetricKeys.require("metrics." + key, key);
            if (definition == null) {
                throw new BadRequestException("metrics." + key, "must be an object with summary, goal or stepMetric");
            }
            checked.put(key, definition.checked("metrics." + key));
        });
        return checked;
    }

    @PostMapping("/{id}/alerts")
    @Operation(summary = "Raise an alert on a run", description = "wandb.alert: kept with the run, shown on its page and "
            + "sent to live subscribers as an `alert` event. `level` is INFO (default), WARN or ERROR.")
    ResponseEntity<RunAlert> alert(@PathVariable String id, @Valid @RequestBody RaiseAlert request) {
        RunAlert alert = alerts.raise(id, request.title().strip(), request.text(),
                request.level() == null ? RunAlert.Level.INFO : request.level());
        return ResponseEntity.status(HttpStatus.CREATED).body(alert);
    }

    @GetMapping("/{id}/alerts")
    @Operation(summary = "A run's alerts, oldest first")
    List<RunAlert> alerts(@PathVariable String id) {
        runs.get(id);
        return alerts.of(id);
    }

    @GetMapping("/{id}/samples")
    @Operation(summary = "Text a job generated as it trained", description = "One sample every `sampleEvery` steps and "
            + "after the last; `exact` tells whether it reproduced a seed-sentence or memorize dataset.")
    List<Sample> samples(@PathVariable String id) {
        runs.get(id);
        return samples.of(id);
    }

    @PostMapping("/{id}/heartbeat")
    @Operation(summary = "Tell the server an external run is alive", description = "A CRASHED run comes back to RUNNING.")
    ResponseEntity<Void> heartbeat(@PathVariable String id) {
        retryingConcurrentChanges(() -> {
            runs.heartbeat(id);
            return null;
        });
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A QUEUED or RUNNING job becomes CANCELLED; a running one stops "
            + "within one step and keeps its points. Cancelling a finished run is a 409.")
    RunView cancel(@PathVariable String id) {
        retryingConcurrentChanges(() -> runs.cancel(id));
        return views.of(id);
    }

    /**
     * A worker claiming or finishing a job bumps the run's version; a user's change that raced it
     * is applied again to the fresh run (its checks included) rather than refused.
     */
    private static <T> T retryingConcurrentChanges(Supplier<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return change.get();
            } catch (OptimisticLockingFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a run with its points and artifacts")
    ResponseEntity<Void> delete(@PathVariable String id) {
        runs.delete(id);
        return ResponseEntity.noContent().build();
    }
}

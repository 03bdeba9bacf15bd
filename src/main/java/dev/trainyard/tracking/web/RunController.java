package dev.trainyard.tracking.web;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunPatch;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunSamples;
import dev.trainyard.tracking.Sample;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.dao.OptimisticLockingFailureException;
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
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/runs")
@Tag(name = "Runs")
class RunController {

    static final int MAX_CONFIG_CHARS = 200_000;

    record CreateRun(
            @NotBlank @Size(max = 200) String project,
            @Size(max = 200) String name,
            Map<String, Object> config,
            @Size(max = 100) List<@NotBlank @Size(max = 100) String> tags,
            @Size(max = 100_000) String notes,
            @Valid JobSpec job) {
    }

    record PatchRun(
            @Size(min = 1, max = 200) String name,
            @Size(max = 100) List<@NotBlank @Size(max = 100) String> tags,
            @Size(max = 100_000) String notes,
            RunState state) {
    }

    record Page(List<RunView> content, int page, int size, long totalElements, long totalPages) {
    }

    private final RunManagement runs;
    private final RunViews views;
    private final RunSamples samples;
    private final JsonMapper json;

    RunController(RunManagement runs, RunViews views, RunSamples samples, JsonMapper json) {
        this.runs = runs;
        this.views = views;
        this.samples = samples;
        this.json = json;
    }

    @PostMapping
    @Operation(summary = "Create a run", description = "Without `job` the run is external (a script logs to it) and starts "
            + "RUNNING; with `job` it is QUEUED and a worker trains it. An unknown project is created.")
    ResponseEntity<RunView> create(@Valid @RequestBody CreateRun request) {
        String config = request.config() == null ? null : json.writeValueAsString(request.config());
        if (config != null && config.length() > MAX_CONFIG_CHARS) {
            throw new BadRequestException("config", "must be at most " + MAX_CONFIG_CHARS + " characters of JSON");
        }
        var tags = request.tags() == null ? null : new LinkedHashSet<>(request.tags());
        Run run = runs.create(new NewRun(request.project(), request.name(), config, tags, request.notes(), request.job()));
        return ResponseEntity.created(URI.create("/api/v1/runs/" + run.getId())).body(views.of(run.getId()));
    }

    @GetMapping
    @Operation(summary = "List runs", description = "Filters combine; `group` is a sweep id. `sort` is name, state, kind, createdAt, startedAt, "
            + "endedAt or summary.<key>, optionally followed by `,desc`. Pages count from 0.")
    Page list(@RequestParam(required = false) String project, @RequestParam(required = false) String group,
            @RequestParam(required = false) RunState state,
            @RequestParam(required = false) String tag, @RequestParam(required = false) String q,
            @RequestParam(required = false) String sort, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        RunPage result = runs.list(new RunQuery(project, group, state, tag, q, sort, page, size));
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
            + "repeating the same ending is harmless, changing it is a 409.")
    RunView patch(@PathVariable String id, @Valid @RequestBody PatchRun request) {
        var tags = request.tags() == null ? null : new LinkedHashSet<>(request.tags());
        retryingConcurrentChanges(() -> runs.patch(id, new RunPatch(request.name(), tags, request.notes(), request.state())));
        return views.of(id);
    }

    @GetMapping("/{id}/samples")
    @Operation(summary = "Text a job generated as it trained", description = "One sample every `sampleEvery` epochs and "
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
            + "within one epoch and keeps its points. Cancelling a finished run is a 409.")
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

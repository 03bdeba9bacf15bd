package dev.trainyard.sweeps.web;

import dev.trainyard.sweeps.Sweep;
import dev.trainyard.sweeps.SweepManagement;
import dev.trainyard.sweeps.SweepRequest;
import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/sweeps")
@Tag(name = "Sweeps")
class SweepController {

    private final SweepManagement sweeps;

    SweepController(SweepManagement sweeps) {
        this.sweeps = sweeps;
    }

    @PostMapping
    @Operation(summary = "Launch a grid of jobs", description = "Every model × every dataset (`lengths` are recall:N, or memorize:N with `\"task\": \"memorize\"`) × "
            + "every combination of `grid` values, on top of `base`. The memory-horizon experiment is "
            + "`{\"project\": \"horizon\", \"lengths\": [4, 8, 16, 32, 64]}`: delayed recall (`recall:N`) at each delay, "
            + "models defaulting to rnn, gru, lstm; `seeds` repeats each run. "
            + "The runs share the sweep id as their `group`.")
    ResponseEntity<Sweep> create(@Valid @RequestBody SweepRequest request) {
        String id = sweeps.create(request);
        return ResponseEntity.created(URI.create("/api/v1/sweeps/" + id)).body(sweeps.get(id));
    }

    @GetMapping
    @Operation(summary = "Sweeps, newest first", description = "Name, project, models, lengths, run state counts and "
            + "creation time of up to 200 sweeps, optionally of one project.")
    List<Sweep.Summary> list(@RequestParam(required = false) String project) {
        return sweeps.list(project, 200);
    }

    @GetMapping("/{id}")
    @Operation(summary = "A sweep's result table", description = "One row per run: model, dataset, length, seed, the "
            + "grid values, state, final accuracy (held-out, on the recall steps, for recall:N) and loss, and whether greedy "
            + "generation reproduced the text; per model the mean ± std accuracy per length and its fall-off length; the "
            + "task's chance level and the base every run started from.")
    Sweep get(@PathVariable String id) {
        return sweeps.get(id);
    }
}

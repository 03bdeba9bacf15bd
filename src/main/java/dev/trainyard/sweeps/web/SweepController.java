package dev.trainyard.sweeps.web;

import dev.trainyard.sweeps.Sweep;
import dev.trainyard.sweeps.SweepManagement;
import dev.trainyard.sweeps.SweepRequest;
import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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
    @Operation(summary = "Launch a grid of jobs", description = "Every model × every dataset (`lengths` are memorize:N) × "
            + "every combination of `grid` values, on top of `base`. The memory-horizon experiment is "
            + "`{\"project\": \"horizon\", \"lengths\": [8, 16, 32, 64, 128, 256, 512]}` (models default to rnn, gru, lstm). "
            + "The runs share the sweep id as their `group`.")
    ResponseEntity<Sweep> create(@Valid @RequestBody SweepRequest request) {
        String id = sweeps.create(request);
        return ResponseEntity.created(URI.create("/api/v1/sweeps/" + id)).body(sweeps.get(id));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A sweep's result table", description = "One row per run: model, dataset, length (memorize), the "
            + "grid values, state, final accuracy and loss, and whether greedy generation reproduced the text.")
    Sweep get(@PathVariable String id) {
        return sweeps.get(id);
    }
}

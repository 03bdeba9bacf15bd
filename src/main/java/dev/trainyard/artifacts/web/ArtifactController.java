package dev.trainyard.artifacts.web;

import java.util.List;

import dev.trainyard.artifacts.ArtifactPath;
import dev.trainyard.artifacts.ArtifactStore.ArtifactEntry;
import dev.trainyard.artifacts.RunArtifacts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A run's artifacts through Trainyard's own API: what the run page lists and links to. */
@RestController
@RequestMapping("/api/v1/runs/{id}/artifacts")
@Tag(name = "Artifacts")
class ArtifactController {

    private final RunArtifacts artifacts;

    ArtifactController(RunArtifacts artifacts) {
        this.artifacts = artifacts;
    }

    @GetMapping
    @Operation(summary = "A run's artifact files", description = "Every file, folders walked, by path; a job's trained "
            + "model is `" + RunArtifacts.MODEL + "`.")
    List<ArtifactEntry> list(@PathVariable String id) {
        return artifacts.files(id);
    }

    @GetMapping("/**")
    @Operation(summary = "Download an artifact")
    ResponseEntity<Resource> download(@PathVariable String id, HttpServletRequest request) {
        String prefix = request.getContextPath() + "/api/v1/runs/" + id + "/artifacts/";
        ArtifactPath path = Downloads.path(request, prefix);
        return Downloads.of(path, artifacts.get(id, path));
    }
}

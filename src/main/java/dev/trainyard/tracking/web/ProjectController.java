package dev.trainyard.tracking.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects")
@Tag(name = "Projects")
class ProjectController {

    record CreateProject(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description) {
    }

    record ProjectView(String id, String slug, String name, String description, Instant createdAt, long runCount) {
    }

    private final ProjectManagement projects;

    ProjectController(ProjectManagement projects) {
        this.projects = projects;
    }

    @PostMapping
    @Operation(summary = "Create a project", description = "The slug is derived from the name; a duplicate slug is a 409.")
    ResponseEntity<ProjectView> create(@Valid @RequestBody CreateProject request) {
        Project project = projects.create(request.name(), request.description());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project.getSlug())).body(view(project, 0));
    }

    @GetMapping
    @Operation(summary = "List projects, oldest first")
    List<ProjectView> list() {
        var counts = projects.runCounts();
        // Experiments deleted through MLflow are hidden, not gone.
        return projects.all().stream().filter(p -> p.getDeletedAt() == null)
                .map(p -> view(p, counts.getOrDefault(p.getId(), 0L))).toList();
    }

    @GetMapping("/{slug}")
    @Operation(summary = "Get a project by slug")
    ProjectView get(@PathVariable String slug) {
        Project project = projects.get(slug);
        return view(project, projects.runCounts().getOrDefault(project.getId(), 0L));
    }

    private static ProjectView view(Project p, long runCount) {
        return new ProjectView(p.getId(), p.getSlug(), p.getName(), p.getDescription(), p.getCreatedAt(), runCount);
    }
}

package dev.trainyard.live.web;

import dev.trainyard.live.ProjectStreams;
import dev.trainyard.tracking.ProjectManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Live")
class ProjectEventsController {

    private final ProjectStreams streams;
    private final ProjectManagement projects;

    ProjectEventsController(ProjectStreams streams, ProjectManagement projects) {
        this.streams = streams;
        this.projects = projects;
    }

    @GetMapping(value = "/api/v1/projects/{slug}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "A project's run list, live (SSE)", description = "Event `run` carries a run's current view "
            + "(created, state, progress, summary) whenever it changes; `deleted` {id} when it is removed. With "
            + "`Last-Event-ID` (or `?lastEventId=`) every run changed since is sent first.")
    SseEmitter events(@PathVariable String slug, @RequestHeader(value = "Last-Event-ID", required = false) String header,
            @RequestParam(value = "lastEventId", required = false) String param) {
        String projectId = projects.get(slug).getId();
        return streams.subscribe(projectId, LastEventIds.parse(header != null ? header : param));
    }
}

package dev.trainyard.live.web;

import java.util.LinkedHashMap;

import dev.trainyard.live.RunStreams;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
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
class RunEventsController {

    private final RunStreams streams;
    private final RunViews views;

    RunEventsController(RunStreams streams, RunViews views) {
        this.streams = streams;
        this.views = views;
    }

    @GetMapping(value = "/api/v1/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "A run's live events (SSE)", description = "Events `metrics` {points}, `state` {state, error?}, "
            + "`progress` {step, steps, etaSeconds} and `log` {lines: [{seq, stream, text, time}], dropped, lastSeq}, with increasing ids. With `Last-Event-ID` (or `?lastEventId=`) the "
            + "stream first replays everything after it, with no gap and no duplicate; without, it opens with the run's "
            + "current `state` (and `progress`) and continues live. With `?until=end` the stream ends once it has sent "
            + "the run's end (a FINISHED, FAILED or CANCELLED state), so `curl -N` returns; without, it stays open.")
    SseEmitter events(@PathVariable String id,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(value = "lastEventId", required = false) String lastEventIdParam,
            @RequestParam(value = "until", required = false) String until) {
        if (until != null && !until.equals("end")) {
            throw new BadRequestException("until", "must be 'end' (the stream ends with the run), not '" + until + "'");
        }
        RunView run = views.of(id);
        Long lastEventId = LastEventIds.parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        var snapshot = new LinkedHashMap<String, Object>();
        var state = new LinkedHashMap<String, Object>();
        state.put("state", run.state().name());
        if (run.error() != null) {
            state.put("error", run.error());
        }
        snapshot.put("state", state);
        if (run.progress() != null) {
            snapshot.put("progress", run.progress());
        }
        if (until != null) {
            return streams.subscribeUntilEnd(id, lastEventId, snapshot, run.lastEventId(),
                    run.state().isTerminal() ? run.lastEventId() : null);
        }
        return streams.subscribe(id, lastEventId, snapshot, run.lastEventId());
    }
}

package dev.trainyard.tracking.web;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.BodyTooLargeException;
import dev.trainyard.tracking.LogLine;
import dev.trainyard.tracking.LogPage;
import dev.trainyard.tracking.LogSettings;
import dev.trainyard.tracking.RunLogs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Logs")
class RunLogController {

    static final int MAX_PAGE = 10_000;

    record LineIn(String stream, String text, Instant time) {
    }

    record LogRequest(List<LineIn> lines) {
    }

    record LineOut(long seq, String stream, String text, Instant time) {
    }

    record Page(List<LineOut> lines, long dropped, long lastSeq) {
    }

    private final RunLogs logs;
    private final LogSettings settings;
    private final Clock clock;

    RunLogController(RunLogs logs, LogSettings settings, Clock clock) {
        this.logs = logs;
        this.settings = settings;
        this.clock = clock;
    }

    @PostMapping("/runs/{id}/logs")
    @Operation(summary = "Append console lines", description = "Lines of `stdout` or `stderr`, oldest first; a 200 means "
            + "committed. A run keeps its newest `trainyard.logs.max-lines-per-run` lines (10,000 by default): older ones "
            + "are dropped and counted in `dropped`. Lines over 10,000 characters are cut.")
    RunLogs.Appended append(@PathVariable String id, @RequestBody LogRequest request) {
        if (request.lines() == null || request.lines().isEmpty()) {
            throw new BadRequestException("lines", "must hold at least one line");
        }
        if (request.lines().size() > settings.maxBatchLines()) {
            throw new BodyTooLargeException("a batch holds at most " + settings.maxBatchLines()
                    + " lines (trainyard.logs.max-batch-lines); this one holds " + request.lines().size());
        }
        long now = clock.millis();
        var lines = new ArrayList<LogLine>(request.lines().size());
        for (int i = 0; i < request.lines().size(); i++) {
            LineIn in = request.lines().get(i);
            String where = "lines[" + i + "]";
            if (in == null) {
                throw new BadRequestException(where, "must not be null");
            }
            if (!LogLine.isStream(in.stream())) {
                throw new BadRequestException(where + ".stream", "must be \"stdout\" or \"stderr\"");
            }
            if (in.text() == null) {
                throw new BadRequestException(where + ".text", "must be a string (\"\" for an empty line)");
            }
            if (in.time() != null && (in.time().isBefore(MetricController.EARLIEST) || in.time().isAfter(MetricController.LATEST))) {
                throw new BadRequestException(where + ".time", "must be a time from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
            }
            lines.add(LogLine.of(in.stream(), in.text(), in.time() == null ? now : in.time().toEpochMilli()));
        }
        return logs.append(id, lines);
    }

    @GetMapping("/runs/{id}/logs")
    @Operation(summary = "Read a run's console lines", description = "Oldest first. `after` (a line's `seq`, 0 by default) "
            + "pages forward, `limit` lines at a time (1000 by default); `tail=N` returns the newest N instead. `lastSeq` "
            + "is the newest line's number, the cursor to follow the log from; `dropped` counts lines dropped to keep it "
            + "within its limit.")
    Page read(@PathVariable String id, @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer tail) {
        if (tail != null && (after != null || limit != null)) {
            throw new BadRequestException("tail", "is not combined with after or limit");
        }
        LogPage page;
        if (tail != null) {
            page = logs.tail(id, bounded("tail", tail));
        } else {
            if (after != null && after < 0) {
                throw new BadRequestException("after", "must be a line number, 0 or more");
            }
            page = logs.after(id, after == null ? 0 : after, bounded("limit", limit == null ? 1000 : limit));
        }
        return new Page(page.lines().stream()
                .map(l -> new LineOut(l.seq(), l.stream(), l.text(), Instant.ofEpochMilli(l.time()))).toList(),
                page.dropped(), page.lastSeq());
    }

    private static int bounded(String field, int value) {
        if (value < 1 || value > MAX_PAGE) {
            throw new BadRequestException(field, "must be between 1 and " + MAX_PAGE);
        }
        return value;
    }
}

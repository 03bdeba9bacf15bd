package dev.trainyard.tracking.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.BodyTooLargeException;
import dev.trainyard.tracking.History;
import dev.trainyard.tracking.KeySummary;
import dev.trainyard.tracking.SeriesSummary;
import dev.trainyard.tracking.MetricKeys;
import dev.trainyard.tracking.MetricPoint;
import dev.trainyard.tracking.MetricSettings;
import dev.trainyard.tracking.MetricStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.annotation.JsonDeserialize;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Metrics")
class MetricController {

    static final long MAX_STEP = (1L << 53) - 1;
    /** Four-digit years: ISO-8601 admits far more, but epoch milliseconds (the store's wall time) and the charts do not. */
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    record PointIn(String key, Long step,
            @JsonDeserialize(using = MetricValueDeserializer.class)
            @Schema(description = "a number, or \"NaN\", \"Infinity\", \"-Infinity\"", type = "number") Double value,
            Instant time) {
    }

    record LogRequest(@NotNull List<PointIn> points) {
    }

    record Accepted(int accepted) {
    }

    record SeriesOfRun(String run, History history) {
    }

    private final MetricStore store;
    private final MetricSettings settings;
    private final Clock clock;

    MetricController(MetricStore store, MetricSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    @PostMapping("/runs/{id}/metrics")
    @Operation(summary = "Log a batch of points", description = "A 200 means committed. Re-sending a (key, step) "
            + "overwrites it, so retries are idempotent. Keys match [A-Za-z0-9_./= -]{1,250} (no space at either end); steps are 0 to 2^53-1.")
    Accepted log(@PathVariable String id, @RequestBody LogRequest request) {
        if (request.points() == null || request.points().isEmpty()) {
            throw new BadRequestException("points", "must hold at least one point");
        }
        if (request.points().size() > settings.maxBatchPoints()) {
            throw new BodyTooLargeException("a batch holds at most " + settings.maxBatchPoints()
                    + " points (trainyard.metrics.max-batch-points); this one holds " + request.points().size());
        }
        return new Accepted(store.log(id, toPoints(request.points())));
    }

    /** Checked by hand rather than by Bean Validation: at 100,000 points a batch, that is 20 times faster. */
    private List<MetricPoint> toPoints(List<PointIn> in) {
        long now = clock.millis();
        var points = new ArrayList<MetricPoint>(in.size());
        Set<String> validKeys = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            PointIn p = in.get(i);
            String where = "points[" + i + "].";
            if (p == null) {
                throw new BadRequestException("points[" + i + "]", "must not be null");
            }
            if (p.key() == null || !(validKeys.contains(p.key()) || MetricKeys.isValid(p.key()) && validKeys.add(p.key()))) {
                throw new BadRequestException(where + "key", MetricKeys.RULE);
            }
            if (p.step() == null || p.step() < 0 || p.step() > MAX_STEP) {
                throw new BadRequestException(where + "step", "must be an integer from 0 to " + MAX_STEP);
            }
            if (p.value() == null) {
                throw new BadRequestException(where + "value", "must be a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
            }
            if (p.time() != null && (p.time().isBefore(EARLIEST) || p.time().isAfter(LATEST))) {
                throw new BadRequestException(where + "time", "must be a time from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
            }
            points.add(new MetricPoint(p.key(), p.step(), p.value(), p.time() == null ? now : p.time().toEpochMilli()));
        }
        return points;
    }

    @GetMapping("/runs/{id}/metrics")
    @Operation(summary = "Summarise each key a run has logged")
    List<KeySummary> keys(@PathVariable String id) {
        return store.keys(id);
    }

    @GetMapping("/runs/{id}/summary")
    @Operation(summary = "A run's summary table", description = "Per key: its own summary (`value`, by its define_metric "
            + "`mode`, last when there is none), last, min, max and mean, and the first steps at which the min and the max "
            + "were logged. NaN takes part in none but `last`.")
    List<SeriesSummary> summary(@PathVariable String id) {
        return store.summaryOf(id);
    }

    @GetMapping("/runs/{id}/metrics/{*key}")
    @Operation(summary = "A key's history, or its CSV", description = "With more than `maxPoints` (default 1000) points "
            + "in [fromStep, toStep], each bucket returns its last point with its min and max; the range's first and last "
            + "points are always present. `Accept: text/csv`, or a `.csv` suffix, returns step,value,time rows.")
    Object history(@PathVariable String id, @PathVariable String key,
            @RequestParam(defaultValue = "1000") int maxPoints, @RequestParam(required = false) Long fromStep,
            @RequestParam(required = false) Long toStep,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept, HttpServletResponse response)
            throws IOException {
        String metric = key.startsWith("/") ? key.substring(1) : key;
        boolean csv = accept != null && accept.contains("text/csv");
        if (!csv && metric.endsWith(".csv")) {
            csv = true;
            metric = metric.substring(0, metric.length() - ".csv".length());
        }
        requireKey(metric);
        if (csv) {
            response.setContentType("text/csv;charset=UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + metric.replace('/', '_') + ".csv\"");
            Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
            store.exportCsv(id, metric, out);
            return null;
        }
        return store.history(id, metric, checkMaxPoints(maxPoints), fromStep, toStep);
    }

    @GetMapping(value = "/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Several runs' series of one key, for comparing", description = "`runs` is a comma-separated "
            + "list of run ids (at most 50).")
    Map<String, History> compare(@RequestParam List<String> runs, @RequestParam String key,
            @RequestParam(defaultValue = "1000") int maxPoints, @RequestParam(required = false) Long fromStep,
            @RequestParam(required = false) Long toStep) {
        requireKey(key);
        if (runs.isEmpty() || runs.size() > 50) {
            throw new BadRequestException("runs", "name between 1 and 50 run ids");
        }
        var result = new LinkedHashMap<String, History>();
        for (String run : runs) {
            result.put(run, store.history(run, key, checkMaxPoints(maxPoints), fromStep, toStep));
        }
        return result;
    }

    private int checkMaxPoints(int maxPoints) {
        if (maxPoints < 1 || maxPoints > settings.maxHistoryPoints()) {
            throw new BadRequestException("maxPoints", "must be between 1 and " + settings.maxHistoryPoints());
        }
        return maxPoints;
    }

    /** Keys may hold slashes (train/loss), so in a path they are its rest rather than one segment. */
    private static void requireKey(String key) {
        MetricKeys.require("key", key);
    }
}

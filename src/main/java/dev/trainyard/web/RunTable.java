package dev.trainyard.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunSettings;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import org.springframework.stereotype.Component;

/**
 * One page of the runs table. The store sorts and filters what it can (name, state, created, a
 * metric's last value; state, tag, name search). Sorting by model or duration, and filtering by
 * model, it cannot yet, so those read the matching runs' ids and job summaries and page in memory,
 * up to {@link #MAX_IN_MEMORY} runs.
 */
@Component
class RunTable {

    static final int PAGE_SIZE = 25;
    static final int MAX_IN_MEMORY = 5000;
    static final String EXTERNAL = RunKind.EXTERNAL.json();

    /** A parsed {@code sort} parameter: name, model, state, createdAt, duration or summary.&lt;key&gt;, then {@code ,desc}. */
    record Sort(String field, boolean desc) {

        static final Sort DEFAULT = new Sort("createdAt", true);

        static Sort parse(String sort) {
            if (sort == null || sort.isBlank()) {
                return DEFAULT;
            }
            String[] parts = sort.split(",", 2);
            String field = parts[0].strip();
            boolean desc = parts.length > 1 && parts[1].strip().equalsIgnoreCase("desc");
            if (!List.of("name", "model", "state", "createdAt", "duration").contains(field)
                    && !(field.startsWith("summary.") && field.length() > "summary.".length())) {
                throw new BadRequestException("sort", "'" + field + "' is not a column to sort by");
            }
            return new Sort(field, desc);
        }

        boolean inMemory() {
            return field.equals("model") || field.equals("duration");
        }

        String metric() {
            return field.startsWith("summary.") ? field.substring("summary.".length()) : null;
        }

        @Override
        public String toString() {
            return field + (desc ? ",desc" : "");
        }
    }

    /** @param group a sweep's id: its runs only */
    record Query(String project, String group, RunState state, String model, String tag, String q, Sort sort, int page) {
    }

    record Result(List<RunView> runs, long total, boolean truncated) {
    }

    private final RunSearch search;
    private final RunViews views;
    private final MetricStore metrics;
    private final RunSettings settings;

    RunTable(RunSearch search, RunViews views, MetricStore metrics, RunSettings settings) {
        this.search = search;
        this.views = views;
        this.metrics = metrics;
        this.settings = settings;
    }

    Result page(Query query) {
        if (query.model() == null && !query.sort().inMemory()) {
            RunPage page = search.find(new RunQuery(query.project(), query.group(), query.state(), query.tag(), query.q(),
                    query.sort().toString(), query.page(), PAGE_SIZE));
            return new Result(views.of(page.runs()), page.total(), false);
        }
        return inMemory(query);
    }

    private Result inMemory(Query query) {
        int size = Math.min(settings.maxPageSize(), 500);
        var all = new ArrayList<Run>();
        long total = 0;
        for (int page = 0; all.size() < MAX_IN_MEMORY; page++) {
            RunPage batch = search.find(new RunQuery(query.project(), query.group(), query.state(), query.tag(), query.q(), null, page, size));
            all.addAll(batch.runs());
            total = batch.total();
            if (batch.runs().size() < size) {
                break;
            }
        }
        List<String> ids = all.stream().map(Run::getId).toList();
        Map<String, String> models = new HashMap<>();
        views.jobs(ids).forEach((id, job) -> models.put(id, job.model()));
        Function<Run, String> model = r -> models.getOrDefault(r.getId(), EXTERNAL);
        List<Run> matching = query.model() == null ? all : all.stream().filter(r -> query.model().equals(model.apply(r))).toList();
        Instant now = Instant.now();
        Comparator<Run> order = switch (query.sort().field()) {
            case "model" -> nullsLast(model, Comparator.<String>naturalOrder(), query.sort().desc());
            case "duration" -> nullsLast(r -> duration(r, now), Comparator.<Duration>naturalOrder(), query.sort().desc());
            case "name" -> nullsLast(Run::getName, String.CASE_INSENSITIVE_ORDER, query.sort().desc());
            case "state" -> nullsLast(r -> r.getState().name(), Comparator.<String>naturalOrder(), query.sort().desc());
            case "createdAt" -> nullsLast(Run::getCreatedAt, Comparator.<Instant>naturalOrder(), query.sort().desc());
            default -> {
                var summaries = metrics.summaries(matching.stream().map(Run::getId).toList());
                String key = query.sort().metric();
                yield nullsLast(r -> {
                    Double v = summaries.getOrDefault(r.getId(), Map.of()).get(key);
                    return v == null || v.isNaN() ? null : v;
                }, Comparator.<Double>naturalOrder(), query.sort().desc());
            }
        };
        List<Run> sorted = matching.stream()
                .sorted(order.thenComparing(Run::getCreatedAt, Comparator.reverseOrder()).thenComparing(Run::getId)).toList();
        int from = Math.min(query.page() * PAGE_SIZE, sorted.size());
        List<Run> slice = sorted.subList(from, Math.min(from + PAGE_SIZE, sorted.size()));
        boolean truncated = total > all.size();
        return new Result(views.of(slice), query.model() == null && !truncated ? total : sorted.size(), truncated);
    }

    /** How long a run has been going, or went; null before it started. */
    static Duration duration(Run run, Instant now) {
        return duration(run.getStartedAt(), run.getEndedAt(), now);
    }

    static Duration duration(Instant started, Instant ended, Instant now) {
        return started == null ? null : Duration.between(started, ended != null ? ended : now);
    }

    private static <T> Comparator<Run> nullsLast(Function<Run, T> key, Comparator<T> order, boolean desc) {
        Comparator<T> direction = desc ? order.reversed() : order;
        return Comparator.comparing(key, Comparator.nullsLast(direction));
    }
}

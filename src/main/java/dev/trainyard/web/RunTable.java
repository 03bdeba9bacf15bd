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
import dev.trainyard.tracking.ConfigCondition;
import dev.trainyard.tracking.GroupBy;
import dev.trainyard.tracking.MetricCondition;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunGroup;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunSettings;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.tracking.SeriesSummary;
import dev.trainyard.tracking.SummaryRef;
import org.springframework.stereotype.Component;

/**
 * One page of the runs table. The store sorts and filters what it can (name, state, created, a
 * metric's summary, a config value; state, tag, name search, model, config and summary conditions)
 * and groups runs by a config value, tag, sweep or model. Sorting by model or duration it cannot
 * yet, so those read the matching runs' ids and job summaries and page in memory, up to
 * {@link #MAX_IN_MEMORY} runs.
 */
@Component
class RunTable {

    static final int PAGE_SIZE = 25;
    static final int MAX_IN_MEMORY = 5000;
    static final int MAX_GROUPS = 100;
    static final String EXTERNAL = RunKind.EXTERNAL.json();

    /**
     * A parsed {@code sort} parameter: name, model, state, createdAt, duration, summary.&lt;key&gt;[:mode]
     * or config.&lt;key&gt;, then {@code ,desc}.
     */
    record Sort(String field, boolean desc) {

        static final Sort DEFAULT = new Sort("createdAt", true);

        static Sort parse(String sort) {
            if (sort == null || sort.isBlank()) {
                return DEFAULT;
            }
            String[] parts = sort.split(",", 2);
            String field = parts[0].strip();
            boolean desc = parts.length > 1 && parts[1].strip().equalsIgnoreCase("desc");
            if (field.startsWith(RunColumn.SUMMARY) || field.startsWith(RunColumn.CONFIG)) {
                try {
                    return new Sort(RunColumn.parse(field).id(), desc);
                } catch (BadRequestException e) {
                    throw new BadRequestException("sort", "'" + field + "' is not a column to sort by");
                }
            }
            if (!List.of("name", "model", "state", "createdAt", "duration").contains(field)) {
                throw new BadRequestException("sort", "'" + field + "' is not a column to sort by");
            }
            return new Sort(field, desc);
        }

        boolean inMemory() {
            return field.equals("model") || field.equals("duration");
        }

        /** The metric summary sorted by, or null. */
        SummaryRef summary() {
            return field.startsWith(RunColumn.SUMMARY) ? RunColumn.parse(field).summary() : null;
        }

        @Override
        public String toString() {
            return field + (desc ? ",desc" : "");
        }
    }

    /**
     * @param group a sweep's id: its runs only
     * @param filters the conditions as the user wrote them, for the page's links; {@code config} and
     *        {@code metrics} are what they say
     * @param columns the chosen columns; empty for the default ones
     * @param groupBy what the runs fold by, or null for a table of runs
     * @param open the groups shown unfolded, as {@link #openKey} names them
     */
    record Query(String project, String group, RunState state, String model, String tag, String q, Sort sort, int page,
            List<String> filters, List<ConfigCondition> config, List<MetricCondition> metrics, List<RunColumn> columns,
            GroupBy groupBy, List<String> open) {

        Query {
            filters = filters == null ? List.of() : List.copyOf(filters);
            config = config == null ? List.of() : List.copyOf(config);
            metrics = metrics == null ? List.of() : List.copyOf(metrics);
            columns = columns == null ? List.of() : List.copyOf(columns);
            open = open == null ? List.of() : List.copyOf(open);
        }

        Query(String project, String group, RunState state, String model, String tag, String q, Sort sort, int page) {
            this(project, group, state, model, tag, q, sort, page, List.of(), List.of(), List.of(), List.of(), null, List.of());
        }

        Query withOpen(List<String> groups) {
            return new Query(project, group, state, model, tag, q, sort, page, filters, config, metrics, columns, groupBy, groups);
        }

        Query withFilters(List<String> texts) {
            return new Query(project, group, state, model, tag, q, sort, 0, texts, config, metrics, columns, groupBy, open);
        }

        boolean filtered() {
            return state != null || model != null || tag != null || q != null || group != null || !filters.isEmpty();
        }

        RunQuery runQuery(String sortField, int page, int size, List<GroupBy.Fold> extra) {
            var folds = new ArrayList<GroupBy.Fold>();
            if (model != null) {
                folds.add(new GroupBy.Fold(new GroupBy(GroupBy.Kind.MODEL, null), model));
            }
            folds.addAll(extra);
            return new RunQuery(project, group, state, tag, q, sortField, page, size, RunQuery.Lifecycle.ACTIVE, config, metrics, folds);
        }
    }

    /** {@code v:<value>} for a group's value, {@code none} for the runs without one. */
    static String openKey(String value) {
        return value == null ? "none" : "v:" + value;
    }

    record Result(List<RunView> runs, long total, boolean truncated) {
    }

    /** One group: its value (null: none), its run count, and when it is open its first page of runs. */
    record Group(RunGroup group, Result runs) {
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
        return page(query, List.of(), query.page());
    }

    private Result page(Query query, List<GroupBy.Fold> folds, int pageNumber) {
        if (!query.sort().inMemory()) {
            RunPage page = search.find(query.runQuery(query.sort().toString(), pageNumber, PAGE_SIZE, folds));
            return new Result(views.of(page.runs()), page.total(), false);
        }
        return inMemory(query, folds, pageNumber);
    }

    /** The groups, the largest first, at most {@link #MAX_GROUPS}; those the query opens with their first runs. */
    List<Group> groups(Query query) {
        List<RunGroup> groups = search.groups(query.runQuery(null, 0, PAGE_SIZE, List.of()), query.groupBy(), MAX_GROUPS);
        return groups.stream().map(g -> new Group(g, query.open().contains(openKey(g.value()))
                ? page(query, List.of(new GroupBy.Fold(query.groupBy(), g.value())), 0) : null)).toList();
    }

    /** Each chosen summary of the given runs, by run id and key. */
    Map<String, Map<String, SeriesSummary>> summaries(List<RunView> runs) {
        return metrics.seriesSummaries(runs.stream().map(RunView::id).toList());
    }

    /** A line of a run page's summary table, its numbers formatted as live.js writes them; a step is null when there is none. */
    record SummaryLine(String key, String mode, String value, String last, Long lastStep, String min, Long minStep, String max,
            Long maxStep, String mean, long count) {
    }

    List<SummaryLine> summaryOf(String runId) {
        return metrics.summaryOf(runId).stream().map(s -> new SummaryLine(s.key(), s.mode(), DashboardController.number(s.value()),
                DashboardController.number(s.last()), s.lastStep(), DashboardController.number(s.min()), s.minStep(),
                DashboardController.number(s.max()), s.maxStep(), DashboardController.number(s.mean()), s.count())).toList();
    }

    Map<String, Map<String, String>> config(List<RunView> runs) {
        return search.configValues(runs.stream().map(RunView::id).toList());
    }

    RunSearch.Keys keys(String project) {
        return search.keys(project, 200);
    }

    private Result inMemory(Query query, List<GroupBy.Fold> folds, int pageNumber) {
        int size = Math.min(settings.maxPageSize(), 500);
        var all = new ArrayList<Run>();
        long total = 0;
        for (int page = 0; all.size() < MAX_IN_MEMORY; page++) {
            RunPage batch = search.find(query.runQuery(null, page, size, folds));
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
        Instant now = Instant.now();
        Comparator<Run> order = query.sort().field().equals("model")
                ? nullsLast(model, Comparator.<String>naturalOrder(), query.sort().desc())
                : nullsLast(r -> duration(r, now), Comparator.<Duration>naturalOrder(), query.sort().desc());
        List<Run> sorted = all.stream()
                .sorted(order.thenComparing(Run::getCreatedAt, Comparator.reverseOrder()).thenComparing(Run::getId)).toList();
        int from = Math.min(pageNumber * PAGE_SIZE, sorted.size());
        List<Run> slice = sorted.subList(from, Math.min(from + PAGE_SIZE, sorted.size()));
        return new Result(views.of(slice), total, total > all.size());
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

package dev.trainyard.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.trainyard.artifacts.RunArtifacts;
import dev.trainyard.mlflow.MlflowRunFacts;
import dev.trainyard.mlflow.NestedRuns;
import dev.trainyard.tracking.JobSummary;
import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.RunAlerts;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.SeriesSummary;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The projects list, the runs table (of one project, or of all) and a run's page. Live updates
 * come from the REST API and its SSE streams, not from here.
 */
@Controller
class DashboardController {

    /** The metric columns a table shows before its user chooses: few, so that it fits its page. */
    static final int MAX_METRIC_COLUMNS = 3;
    /** The runs table of all projects follows the streams of at most this many projects (one connection each). */
    static final int MAX_LIVE_PROJECTS = 3;

    private final RunViews views;
    private final RunTable table;
    private final ProjectManagement projects;
    private final JsonMapper json;
    private final RunAlerts alerts;
    private final RunArtifacts artifacts;
    private final NestedRuns nested;
    private final MlflowRunFacts mlflowFacts;

    DashboardController(RunViews views, RunTable table, ProjectManagement projects, JsonMapper json,
            RunAlerts alerts, RunArtifacts artifacts, NestedRuns nested, MlflowRunFacts mlflowFacts) {
        this.nested = nested;
        this.mlflowFacts = mlflowFacts;
        this.alerts = alerts;
        this.artifacts = artifacts;
        this.views = views;
        this.table = table;
        this.projects = projects;
        this.json = json;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/projects";
    }

    @GetMapping("/projects")
    String projects(Model model) {
        model.addAttribute("rows", projects.summaries());
        return "projects";
    }

    @GetMapping("/projects/{slug}")
    String project(@PathVariable String slug, RunsForm form, Model model, HttpServletResponse response) {
        Project project = projects.get(slug);
        model.addAttribute("projectEntity", project);
        model.addAttribute("table", table(form.parse(project.getSlug()), "/projects/" + project.getSlug(), response));
        return "runs";
    }

    @GetMapping("/runs")
    String runs(RunsForm form, Model model, HttpServletResponse response) {
        model.addAttribute("table", table(form.parse(RunsForm.blank(form.project())), "/runs", response));
        return "runs";
    }

    private RunsPage table(RunsForm.Parsed parsed, String base, HttpServletResponse response) {
        RunTable.Query query = parsed.query();
        if (!parsed.problems().isEmpty()) {
            // The page still shows what could be read, with the message beside the field.
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        RunSearch.Keys keys = table.keys(query.project());
        Instant now = Instant.now();
        List<RunsPage.GroupRow> groups = null;
        List<RunView> shown;
        RunTable.Result result;
        if (query.groupBy() == null) {
            result = table.page(query);
            shown = result.runs();
        } else {
            var folded = table.groups(query);
            long total = folded.stream().mapToLong(g -> g.group().count()).sum();
            result = new RunTable.Result(List.of(), total, false);
            shown = folded.stream().filter(g -> g.runs() != null).flatMap(g -> g.runs().runs().stream()).toList();
            groups = new ArrayList<>();
            List<RunColumn> columns = columns(query, shown);
            Cells cells = cells(shown, columns);
            for (RunTable.Group g : folded) {
                String key = RunTable.openKey(g.group().value());
                boolean open = g.runs() != null;
                var toggled = new ArrayList<>(query.open());
                if (open) {
                    toggled.remove(key);
                } else {
                    toggled.add(key);
                }
                List<RunRow> rows = open ? g.runs().runs().stream().map(r -> cells.row(r, now)).toList() : List.of();
                groups.add(new RunsPage.GroupRow(g.group().value() == null ? "(none)" : g.group().value(), g.group().value() == null,
                        g.group().count(), open, url(base, query.withOpen(toggled), query.sort(), 0), groupFilterUrl(base, query, g.group().value()),
                        rows, open ? g.runs().total() : 0));
            }
        }
        List<RunColumn> columns = columns(query, shown);
        Cells cells = cells(query.groupBy() == null ? shown : List.of(), columns);
        List<RunRow> rows = query.groupBy() == null ? shown.stream().map(r -> cells.row(r, now)).toList() : List.of();
        long pages = (result.total() + RunTable.PAGE_SIZE - 1) / RunTable.PAGE_SIZE;
        var pager = new RunsPage.Pager(result.total(), pages, result.truncated(), url(base, query, query.sort(), 0),
                query.page() > 0 ? url(base, query, query.sort(), query.page() - 1) : null,
                query.page() + 1 < pages ? url(base, query, query.sort(), query.page() + 1) : null);

        var sorts = new LinkedHashMap<String, RunsPage.SortLink>();
        var fields = new ArrayList<>(List.of("name", "model", "state", "createdAt", "duration"));
        columns.forEach(c -> fields.add(c.id()));
        for (String field : fields) {
            boolean current = field.equals(query.sort().field());
            // Clicking the sorted column flips it; another starts the way people usually want it.
            boolean desc = current ? !query.sort().desc() : field.equals("createdAt") || field.equals("duration");
            sorts.put(field, new RunsPage.SortLink(url(base, query, new RunTable.Sort(field, desc), 0),
                    current ? (query.sort().desc() ? "descending" : "ascending") : "none"));
        }

        var chips = new ArrayList<RunsPage.FilterChip>();
        for (int i = 0; i < query.filters().size(); i++) {
            var rest = new ArrayList<>(query.filters());
            rest.remove(i);
            chips.add(new RunsPage.FilterChip(query.filters().get(i), url(base, query.withFilters(rest), query.sort(), 0)));
        }
        var chosenSummary = new LinkedHashMap<String, String>();
        columns.stream().filter(c -> !c.isConfig()).forEach(c -> chosenSummary.putIfAbsent(c.summary().key(),
                c.summary().mode() == null ? "own" : c.summary().modeWord()));
        var menu = new RunsPage.Menu(keys.config(), keys.metrics().stream()
                .map(k -> new RunsPage.MetricChoice(k, chosenSummary.getOrDefault(k, ""))).toList(),
                columns.stream().filter(RunColumn::isConfig).map(RunColumn::configKey).toList());

        // The project page follows its project; the all-runs page the projects on screen, if few.
        List<String> live = query.project() != null ? List.of(query.project())
                : shown.stream().map(RunView::project).distinct().toList();
        boolean filtered = query.filtered() || query.project() != null && base.equals("/runs");
        return new RunsPage(base, query, rows, columns, sorts, pager, filtered,
                live.size() <= MAX_LIVE_PROJECTS ? String.join(",", live) : "", query.project() == null, groups, menu, chips,
                parsed.problems(), parsed.rejectedFilter());
    }

    /** The rows' cell values: summaries by a picked mode and config values are read for the page at once, when shown. */
    private record Cells(List<RunColumn> columns, Map<String, Map<String, SeriesSummary>> summaries,
            Map<String, Map<String, String>> config) {

        RunRow row(RunView run, Instant now) {
            return RunRow.of(run, now, columns, summaries.getOrDefault(run.id(), Map.of()), config.getOrDefault(run.id(), Map.of()));
        }
    }

    private Cells cells(List<RunView> runs, List<RunColumn> columns) {
        boolean modes = columns.stream().anyMatch(c -> !c.isConfig() && c.summary().mode() != null);
        boolean config = columns.stream().anyMatch(RunColumn::isConfig);
        return new Cells(columns, modes && !runs.isEmpty() ? table.summaries(runs) : Map.of(),
                config && !runs.isEmpty() ? table.config(runs) : Map.of());
    }

    /** The chosen columns, or by default a few metric keys of the rows shown; the one sorted by is always there. */
    static List<RunColumn> columns(RunTable.Query query, List<RunView> shown) {
        var columns = new ArrayList<RunColumn>(query.columns());
        if (columns.isEmpty()) {
            metricColumns(shown).forEach(k -> columns.add(RunColumn.summary(k)));
        }
        String sorted = query.sort().field();
        if ((sorted.startsWith(RunColumn.SUMMARY) || sorted.startsWith(RunColumn.CONFIG))
                && columns.stream().noneMatch(c -> c.id().equals(sorted))) {
            columns.add(RunColumn.parse(sorted));
        }
        return columns;
    }

    /** The table of one group's runs, when filters can say which: a config value, a tag, a sweep or a model. */
    private static String groupFilterUrl(String base, RunTable.Query query, String value) {
        if (value == null) {
            return null;
        }
        var cleared = query.withOpen(List.of());
        var noGroup = new RunTable.Query(cleared.project(), cleared.group(), cleared.state(), cleared.model(), cleared.tag(),
                cleared.q(), cleared.sort(), 0, cleared.filters(), cleared.config(), cleared.metrics(), cleared.columns(), null, List.of());
        return switch (query.groupBy().kind()) {
            case CONFIG -> {
                var filters = new ArrayList<>(noGroup.filters());
                filters.add(RunColumn.CONFIG + query.groupBy().configKey() + "=" + value);
                yield url(base, noGroup.withFilters(filters), noGroup.sort(), 0);
            }
            case TAG -> url(base, new RunTable.Query(noGroup.project(), noGroup.group(), noGroup.state(), noGroup.model(), value,
                    noGroup.q(), noGroup.sort(), 0, noGroup.filters(), noGroup.config(), noGroup.metrics(), noGroup.columns(), null,
                    List.of()), noGroup.sort(), 0);
            case SWEEP -> url(base, new RunTable.Query(noGroup.project(), value, noGroup.state(), noGroup.model(), noGroup.tag(),
                    noGroup.q(), noGroup.sort(), 0, noGroup.filters(), noGroup.config(), noGroup.metrics(), noGroup.columns(), null,
                    List.of()), noGroup.sort(), 0);
            case MODEL -> url(base, new RunTable.Query(noGroup.project(), noGroup.group(), noGroup.state(), value, noGroup.tag(),
                    noGroup.q(), noGroup.sort(), 0, noGroup.filters(), noGroup.config(), noGroup.metrics(), noGroup.columns(), null,
                    List.of()), noGroup.sort(), 0);
        };
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable String id, Model model) {
        // The view reads its newest event id before the run, so resuming the live stream from it replays at
        // worst a few events the page already shows (run.js takes them in its stride), and misses none.
        RunView run = views.of(id);
        JobSummary job = run.job();
        boolean dl4j = job != null && job.isDl4j();
        model.addAttribute("run", run);
        model.addAttribute("resumeAfter", run.lastEventId());
        // A job's config is its spec with defaults applied, so the two would list the same values twice.
        model.addAttribute("spec", spec(job, run.config()));
        model.addAttribute("config", job == null ? config(run.config()) : null);
        model.addAttribute("progress", ProgressBar.of(run));
        model.addAttribute("queue", QueueLine.of(run));
        model.addAttribute("dl4j", dl4j);
        model.addAttribute("unit", dl4j ? "epoch" : "step");
        model.addAttribute("stepMeaning", dl4j ? "one epoch = one pass over the train split, in mini-batches"
                : job != null ? HyperParameters.stepMeaning(String.valueOf(job.spec().dataset())) : null);
        model.addAttribute("job", job != null);
        model.addAttribute("finished", run.state() == RunState.FINISHED);
        model.addAttribute("tagsText", run.tags() == null ? "" : String.join(", ", run.tags()));
        model.addAttribute("alerts", alerts.of(id));
        model.addAttribute("artifacts", artifacts.files(id));
        model.addAttribute("parentRun", nested.parentOf(id).orElse(null));
        model.addAttribute("childRuns", nested.childrenOf(id));
        model.addAttribute("mlflow", mlflowFacts.of(id));
        model.addAttribute("model", job != null ? job.model() : RunTable.EXTERNAL);
        model.addAttribute("summaryTable", table.summaryOf(id));
        return "run";
    }

    /** The initial numbers of a job's progress bar, the ETA only while it can still change; null for external runs. */
    record ProgressBar(int step, int steps, String eta) {

        static ProgressBar of(RunView run) {
            Progress p = run.progress();
            if (p == null) {
                return null;
            }
            return new ProgressBar(p.step(), p.steps(),
                    p.etaSeconds() != null && !run.state().isTerminal() ? duration(p.etaSeconds()) : "");
        }
    }

    /** The metric keys on this page, loss and accuracy first, at most {@link #MAX_METRIC_COLUMNS}. */
    static List<String> metricColumns(List<RunView> page) {
        Set<String> keys = new LinkedHashSet<>();
        page.stream().filter(r -> r.summary() != null).flatMap(r -> r.summary().keySet().stream()).sorted(
                Comparator.comparing((String k) -> k.equals("loss") ? 0 : k.equals("accuracy") ? 1 : 2).thenComparing(k -> k))
                .forEach(keys::add);
        return keys.stream().limit(MAX_METRIC_COLUMNS).toList();
    }

    /** A table link keeping the filters, columns and grouping; only the ones in use, so the address stays readable. */
    static String url(String base, RunTable.Query q, RunTable.Sort sort, int page) {
        var url = UriComponentsBuilder.fromPath(base);
        var values = new HashMap<String, Object>();
        if (base.equals("/runs")) {
            param(url, values, "project", q.project());
        }
        param(url, values, "state", q.state() == null ? null : q.state().name());
        param(url, values, "model", q.model());
        param(url, values, "tag", q.tag());
        param(url, values, "group", q.group());
        param(url, values, "q", q.q());
        for (int i = 0; i < q.filters().size(); i++) {
            param(url, values, "f", "f" + i, q.filters().get(i));
        }
        for (int i = 0; i < q.columns().size(); i++) {
            param(url, values, "col", "col" + i, q.columns().get(i).id());
        }
        param(url, values, "groupBy", q.groupBy() == null ? null : q.groupBy().toString());
        for (int i = 0; i < q.open().size(); i++) {
            param(url, values, "open", "open" + i, q.open().get(i));
        }
        param(url, values, "sort", sort.equals(RunTable.Sort.DEFAULT) ? null : sort.toString());
        if (page > 0) {
            url.queryParam("page", page);
        }
        return url.encode().buildAndExpand(values).toUriString();
    }

    private static void param(UriComponentsBuilder url, Map<String, Object> values, String name, String variable, String value) {
        url.queryParam(name, "{" + variable + "}");
        values.put(variable, value);
    }

    private static void param(UriComponentsBuilder url, Map<String, Object> values, String name, String value) {
        if (value != null) {
            url.queryParam(name, "{" + name + "}");
            values.put(name, value);
        }
    }

    private static final int NETWORK_SHOWN = 160;

    /** The job's spec without its progress, which the page shows as a bar instead; empty for external runs. */
    /**
     * A job run's settings: its config (the hyper-parameters it trains with, and any keys a client
     * added), then what only the spec holds, such as a dl4j job's network.
     */
    private Map<String, Object> spec(JobSummary job, Object config) {
        var spec = new LinkedHashMap<String, Object>();
        if (job == null) {
            return spec;
        }
        if (config instanceof Map<?, ?> values) {
            values.forEach((key, value) -> spec.put(String.valueOf(key),
                    value instanceof Map<?, ?> || value instanceof List<?> ? json.writeValueAsString(value) : value));
        }
        job.settings().forEach(s -> spec.putIfAbsent(s.name(), s.value()));
        if (spec.get("network") instanceof String network && network.length() > NETWORK_SHOWN) {
            // a DL4J configuration runs to kilobytes; the whole of it is in the API's job.network
            spec.put("network", network.substring(0, NETWORK_SHOWN) + "… (" + network.length() + " characters)");
        }
        return spec;
    }

    private String config(Object config) {
        if (config == null || config instanceof Map<?, ?> map && map.isEmpty()) {
            return null;
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    }

    /** Four significant digits, as live.js's number() writes them. */
    static String number(Double value) {
        if (value == null) {
            return "";
        }
        return value.isNaN() || value.isInfinite() ? value.toString() : String.format(Locale.ROOT, "%.4g", value);
    }

    /**
     * Same format as live.js's, so the ETA doesn't change shape when the first live update lands.
     * Under 10 s with a tenth, so that a 1.4 s run does not read "1s" or "0s".
     */
    static String duration(double exactSeconds) {
        if (exactSeconds < 10) {
            return String.format(Locale.ROOT, "%.1fs", Math.max(0, exactSeconds));
        }
        long seconds = Math.round(exactSeconds);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    }
}

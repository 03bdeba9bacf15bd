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
import dev.trainyard.mlflow.NestedRuns;
import dev.trainyard.tracking.JobSummary;
import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.RunAlerts;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
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

    static final int MAX_METRIC_COLUMNS = 5;
    /** The runs table of all projects follows the streams of at most this many projects (one connection each). */
    static final int MAX_LIVE_PROJECTS = 3;

    private final RunViews views;
    private final RunTable table;
    private final ProjectManagement projects;
    private final JsonMapper json;
    private final RunAlerts alerts;
    private final RunArtifacts artifacts;
    private final NestedRuns nested;

    DashboardController(RunViews views, RunTable table, ProjectManagement projects, JsonMapper json,
            RunAlerts alerts, RunArtifacts artifacts, NestedRuns nested) {
        this.nested = nested;
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
    String project(@PathVariable String slug, RunsForm form, Model model) {
        Project project = projects.get(slug);
        model.addAttribute("projectEntity", project);
        model.addAttribute("table", table(form.query(project.getSlug()), "/projects/" + project.getSlug()));
        return "runs";
    }

    @GetMapping("/runs")
    String runs(RunsForm form, Model model) {
        model.addAttribute("table", table(form.query(RunsForm.blank(form.project())), "/runs"));
        return "runs";
    }

    private RunsPage table(RunTable.Query query, String base) {
        RunTable.Result result = table.page(query);
        Instant now = Instant.now();
        List<RunRow> rows = result.runs().stream().map(r -> RunRow.of(r, now)).toList();
        long pages = (result.total() + RunTable.PAGE_SIZE - 1) / RunTable.PAGE_SIZE;
        List<String> keys = metricColumns(result.runs(), query.sort());
        boolean filtered = query.state() != null || query.model() != null || query.tag() != null || query.q() != null
                || query.group() != null;
        var pager = new RunsPage.Pager(result.total(), pages, result.truncated(), url(base, query, query.sort(), 0),
                query.page() > 0 ? url(base, query, query.sort(), query.page() - 1) : null,
                query.page() + 1 < pages ? url(base, query, query.sort(), query.page() + 1) : null);

        var sorts = new LinkedHashMap<String, RunsPage.SortLink>();
        var columns = new ArrayList<>(List.of("name", "model", "state", "createdAt", "duration"));
        keys.forEach(k -> columns.add("summary." + k));
        for (String field : columns) {
            boolean current = field.equals(query.sort().field());
            // Clicking the sorted column flips it; another starts the way people usually want it.
            boolean desc = current ? !query.sort().desc() : field.equals("createdAt") || field.equals("duration");
            sorts.put(field, new RunsPage.SortLink(url(base, query, new RunTable.Sort(field, desc), 0),
                    current ? (query.sort().desc() ? "descending" : "ascending") : "none"));
        }

        // The project page follows its project; the all-runs page the projects on screen, if few.
        List<String> live = query.project() != null ? List.of(query.project())
                : rows.stream().map(r -> r.run().project()).distinct().toList();
        return new RunsPage(base, query, rows, keys, sorts, pager, filtered || query.project() != null && base.equals("/runs"),
                live.size() <= MAX_LIVE_PROJECTS ? String.join(",", live) : "", query.project() == null);
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
        model.addAttribute("model", job != null ? job.model() : RunTable.EXTERNAL);
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

    /** The metric keys on this page, loss and accuracy first, and the one sorted by even if no row has it. */
    static List<String> metricColumns(List<RunView> page, RunTable.Sort sort) {
        Set<String> keys = new LinkedHashSet<>();
        page.stream().filter(r -> r.summary() != null).flatMap(r -> r.summary().keySet().stream()).sorted(
                Comparator.comparing((String k) -> k.equals("loss") ? 0 : k.equals("accuracy") ? 1 : 2).thenComparing(k -> k))
                .forEach(keys::add);
        var columns = new ArrayList<>(keys.stream().limit(MAX_METRIC_COLUMNS).toList());
        if (sort.metric() != null && !columns.contains(sort.metric())) {
            columns.add(sort.metric());
        }
        return columns;
    }

    /** A table link keeping the filters; only the ones in use, so the address stays readable. */
    private static String url(String base, RunTable.Query q, RunTable.Sort sort, int page) {
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
        param(url, values, "sort", sort.equals(RunTable.Sort.DEFAULT) ? null : sort.toString());
        if (page > 0) {
            url.queryParam("page", page);
        }
        return url.encode().buildAndExpand(values).toUriString();
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

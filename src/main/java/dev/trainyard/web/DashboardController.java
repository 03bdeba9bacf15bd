package dev.trainyard.web;

import java.time.Duration;
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
import java.util.stream.Stream;

import dev.trainyard.artifacts.RunArtifacts;
import dev.trainyard.mlflow.NestedRuns;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.RunAlerts;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.training.JobSpec;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
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

    /** One row of the runs table, with the numbers already formatted so the template stays dumb. */
    record RunRow(RunView run, String model, Integer step, Integer steps, String eta, String duration,
            Map<String, String> metrics) {
    }

    private final RunManagement runs;
    private final RunViews views;
    private final RunTable table;
    private final ProjectManagement projects;
    private final JsonMapper json;
    private final RunAlerts alerts;
    private final RunArtifacts artifacts;
    private final NestedRuns nested;

    DashboardController(RunManagement runs, RunViews views, RunTable table, ProjectManagement projects, JsonMapper json,
            RunAlerts alerts, RunArtifacts artifacts, NestedRuns nested) {
        this.nested = nested;
        this.alerts = alerts;
        this.artifacts = artifacts;
        this.runs = runs;
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
    String project(@PathVariable String slug, @RequestParam(required = false) RunState state,
            @RequestParam(required = false) String model, @RequestParam(required = false) String tag,
            @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
            @RequestParam(required = false) String group, @RequestParam(defaultValue = "0") int page, Model view) {
        Project project = projects.get(slug);
        view.addAttribute("projectEntity", project);
        return table(project.getSlug(), "/projects/" + project.getSlug(), group, state, model, tag, q, sort, page, view);
    }

    @GetMapping("/runs")
    String runs(@RequestParam(required = false) String project, @RequestParam(required = false) RunState state,
            @RequestParam(required = false) String model, @RequestParam(required = false) String tag,
            @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
            @RequestParam(required = false) String group, @RequestParam(defaultValue = "0") int page, Model view) {
        return table(blank(project), "/runs", group, state, model, tag, q, sort, page, view);
    }

    private String table(String project, String base, String group, RunState state, String model, String tag, String q,
            String sort, int page, Model m) {
        var query = new RunTable.Query(project, blank(group), state, blank(model), blank(tag), blank(q), RunTable.Sort.parse(sort),
                // A hand-edited negative page shows the first one rather than an error.
                Math.max(page, 0));
        RunTable.Result result = table.page(query);
        List<RunRow> rows = result.runs().stream().map(DashboardController::row).toList();
        long pages = (result.total() + RunTable.PAGE_SIZE - 1) / RunTable.PAGE_SIZE;
        List<String> keys = metricColumns(result.runs(), query.sort());
        boolean filtered = query.state() != null || query.model() != null || query.tag() != null || query.q() != null
                || query.group() != null;

        m.addAttribute("rows", rows);
        m.addAttribute("project", project);
        m.addAttribute("base", base);
        m.addAttribute("state", query.state());
        m.addAttribute("model", query.model());
        m.addAttribute("tag", query.tag());
        m.addAttribute("group", query.group());
        m.addAttribute("q", query.q());
        m.addAttribute("sort", query.sort());
        m.addAttribute("states", RunState.values());
        m.addAttribute("models", Stream.concat(HyperParameters.models().stream(), Stream.of(RunTable.EXTERNAL)).toList());
        m.addAttribute("metricKeys", keys);
        m.addAttribute("filtered", filtered || project != null && base.equals("/runs"));
        m.addAttribute("clearUrl", base);
        m.addAttribute("page", query.page());
        m.addAttribute("pages", pages);
        m.addAttribute("total", result.total());
        m.addAttribute("truncated", result.truncated());
        m.addAttribute("firstUrl", url(base, project, query, query.sort(), 0));
        m.addAttribute("newerUrl", query.page() > 0 ? url(base, project, query, query.sort(), query.page() - 1) : null);
        m.addAttribute("olderUrl", query.page() + 1 < pages ? url(base, project, query, query.sort(), query.page() + 1) : null);

        var sortUrls = new LinkedHashMap<String, String>();
        var ariaSort = new HashMap<String, String>();
        var columns = new ArrayList<>(List.of("name", "model", "state", "createdAt", "duration"));
        keys.forEach(k -> columns.add("summary." + k));
        for (String field : columns) {
            boolean current = field.equals(query.sort().field());
            // Clicking the sorted column flips it; another starts the way people usually want it.
            boolean desc = current ? !query.sort().desc() : field.equals("createdAt") || field.equals("duration");
            sortUrls.put(field, url(base, project, query, new RunTable.Sort(field, desc), 0));
            ariaSort.put(field, current ? (query.sort().desc() ? "descending" : "ascending") : "none");
        }
        m.addAttribute("sortUrls", sortUrls);
        m.addAttribute("ariaSort", ariaSort);

        // The project page follows its project; the all-runs page the projects on screen, if few.
        List<String> live = project != null ? List.of(project)
                : rows.stream().map(r -> r.run().project()).distinct().toList();
        m.addAttribute("liveProjects", live.size() <= MAX_LIVE_PROJECTS ? String.join(",", live) : "");
        m.addAttribute("projectColumn", project == null);
        return "runs";
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable String id, Model model) {
        // The view reads the run before its newest event id, so a change committed in between would be in
        // neither the page nor the replay. Resuming from the id read first replays at worst a few events
        // the page already shows, which run.js takes in its stride.
        long resumeAfter = views.of(id).lastEventId();
        RunView run = views.of(id);
        boolean job = run.job() != null;
        model.addAttribute("run", run);
        model.addAttribute("resumeAfter", Math.min(resumeAfter, run.lastEventId()));
        model.addAttribute("spec", spec(run));
        model.addAttribute("config", config(run.config()));
        model.addAttribute("progress", progress(run));
        boolean dl4j = job && JobSpec.DL4J.equals(run.job().get("model"));
        model.addAttribute("dl4j", dl4j);
        model.addAttribute("unit", dl4j ? "epoch" : "step");
        model.addAttribute("stepMeaning", dl4j ? "one epoch = one pass over the train split, in mini-batches"
                : job ? HyperParameters.stepMeaning(String.valueOf(run.job().get("dataset"))) : null);
        model.addAttribute("job", job);
        model.addAttribute("finished", run.state() == RunState.FINISHED);
        model.addAttribute("tagsText", run.tags() == null ? "" : String.join(", ", run.tags()));
        model.addAttribute("alerts", alerts.of(id));
        model.addAttribute("artifacts", artifacts.files(id));
        model.addAttribute("parentRun", nested.parentOf(id).orElse(null));
        model.addAttribute("childRuns", nested.childrenOf(id));
        model.addAttribute("model", job ? String.valueOf(run.job().get("model")) : RunTable.EXTERNAL);
        return "run";
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
    private static String url(String base, String project, RunTable.Query q, RunTable.Sort sort, int page) {
        var url = UriComponentsBuilder.fromPath(base);
        var values = new HashMap<String, Object>();
        if (base.equals("/runs")) {
            param(url, values, "project", project);
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

    static RunRow row(RunView run) {
        String model = run.job() == null ? RunTable.EXTERNAL : String.valueOf(run.job().get("model"));
        Map<String, Object> p = run.progress();
        Integer step = p == null ? null : p.get("step") instanceof Number n ? n.intValue() : 0;
        Integer steps = p == null ? null : p.get("steps") instanceof Number n ? n.intValue() : 0;
        String eta = p != null && p.get("etaSeconds") instanceof Number s && run.state() == RunState.RUNNING
                ? duration(s.longValue()) : "";
        Duration took = RunTable.duration(run.startedAt(), run.endedAt(), Instant.now());
        var metrics = new HashMap<String, String>();
        if (run.summary() != null) {
            run.summary().forEach((k, v) -> metrics.put(k, number(v)));
        }
        return new RunRow(run, model, step, steps, eta, took == null ? "" : duration(took.toMillis() / 1000.0), metrics);
    }

    /** The job's spec without its progress, which the page shows as a bar instead. */
    private static final int NETWORK_SHOWN = 160;

    private static Map<String, Object> spec(RunView run) {
        if (run.job() == null) {
            return Map.of();
        }
        var spec = new LinkedHashMap<>(run.job());
        spec.remove("progress");
        spec.values().removeIf(java.util.Objects::isNull);
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

    /** The initial numbers for the progress bar: {step, steps, eta text}; null for external runs. */
    private static Map<String, Object> progress(RunView run) {
        Map<String, Object> p = run.progress();
        if (p == null) {
            return null;
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("step", p.get("step") == null ? 0 : p.get("step"));
        result.put("steps", p.get("steps") == null ? 0 : p.get("steps"));
        result.put("eta", p.get("etaSeconds") instanceof Number eta && !run.state().isTerminal() ? duration(eta.longValue()) : "");
        return result;
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
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

package dev.trainyard.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSpec;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/** The runs table and a run's page. Live updates come from the REST API and its SSE stream, not from here. */
@Controller
class DashboardController {

    static final int PAGE_SIZE = 25;

    /** One row of the runs table, with the numbers already formatted so the template stays dumb. */
    record RunRow(RunView run, String model, String progress, String lastLoss) {
    }

    private final RunManagement runs;
    private final RunViews views;
    private final JsonMapper json;

    DashboardController(RunManagement runs, RunViews views, JsonMapper json) {
        this.runs = runs;
        this.views = views;
        this.json = json;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/runs";
    }

    @GetMapping("/runs")
    String runs(@RequestParam(required = false) String project, @RequestParam(required = false) RunState state,
            @RequestParam(defaultValue = "0") int page, Model model) {
        String slug = project == null || project.isBlank() ? null : project.strip();
        // A hand-edited negative page shows the first one rather than an error.
        int current = Math.max(page, 0);
        RunPage result = runs.list(new RunQuery(slug, null, state, null, null, null, current, PAGE_SIZE));
        List<RunRow> rows = views.of(result.runs()).stream().map(DashboardController::row).toList();
        long pages = (result.total() + PAGE_SIZE - 1) / PAGE_SIZE;
        model.addAttribute("rows", rows);
        model.addAttribute("project", slug);
        model.addAttribute("state", state);
        model.addAttribute("states", RunState.values());
        model.addAttribute("page", current);
        model.addAttribute("pages", pages);
        model.addAttribute("total", result.total());
        model.addAttribute("firstUrl", pageUrl(slug, state, 0));
        model.addAttribute("newerUrl", current > 0 ? pageUrl(slug, state, current - 1) : null);
        model.addAttribute("olderUrl", current + 1 < pages ? pageUrl(slug, state, current + 1) : null);
        return "runs";
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable String id, Model model) {
        RunView run = views.of(id);
        model.addAttribute("run", run);
        model.addAttribute("spec", spec(run));
        model.addAttribute("config", config(run.config()));
        model.addAttribute("progress", progress(run));
        model.addAttribute("accuracy", run.summary() != null && run.summary().containsKey("accuracy"));
        model.addAttribute("generates", run.job() != null && JobSpec.SEED_RNN.equals(run.job().get("model")));
        return "run";
    }

    /** A page link keeping the filters; only the ones in use, so the address stays readable. */
    private static String pageUrl(String project, RunState state, int page) {
        var url = UriComponentsBuilder.fromPath("/runs");
        var values = new HashMap<String, Object>();
        if (project != null) {
            url.queryParam("project", "{project}");
            values.put("project", project);
        }
        if (state != null) {
            url.queryParam("state", state.name());
        }
        url.queryParam("page", page);
        return url.encode().buildAndExpand(values).toUriString();
    }

    private static RunRow row(RunView run) {
        String model = run.job() == null ? run.kind().json() : String.valueOf(run.job().get("model"));
        Map<String, Object> p = run.progress();
        String progress = p == null ? "" : "epoch " + p.get("epoch") + " / " + p.get("epochs");
        return new RunRow(run, model, progress, number(run.summary() == null ? null : run.summary().get("loss")));
    }

    /** The job's spec without its progress, which the page shows as a bar instead. */
    private static Map<String, Object> spec(RunView run) {
        if (run.job() == null) {
            return Map.of();
        }
        var spec = new LinkedHashMap<>(run.job());
        spec.remove("progress");
        return spec;
    }

    private String config(Object config) {
        if (config == null || config instanceof Map<?, ?> map && map.isEmpty()) {
            return null;
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    }

    /** The initial numbers for the progress bar: {epoch, epochs, eta text}; null for external runs. */
    private static Map<String, Object> progress(RunView run) {
        Map<String, Object> p = run.progress();
        if (p == null) {
            return null;
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("epoch", p.get("epoch") == null ? 0 : p.get("epoch"));
        result.put("epochs", p.get("epochs") == null ? 0 : p.get("epochs"));
        result.put("eta", p.get("etaSeconds") instanceof Number eta && !run.state().isTerminal() ? duration(eta.longValue()) : "");
        return result;
    }

    static String number(Double value) {
        if (value == null) {
            return "";
        }
        return value.isNaN() || value.isInfinite() ? value.toString() : String.format(Locale.ROOT, "%.4g", value);
    }

    /** Same format as run.js's, so the ETA doesn't change shape when the first live update lands. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    }
}

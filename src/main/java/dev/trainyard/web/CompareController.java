package dev.trainyard.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.RunConfigIndex;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several runs' metrics overlaid, one chart per key. The page only names the runs and their colours;
 * compare.js fetches downsampled series from {@code GET /api/v1/metrics} and follows the projects' streams.
 */
@Controller
class CompareController {

    /** As many as {@code GET /api/v1/metrics?runs=} takes in one call. */
    static final int MAX_RUNS = 50;

    /**
     * Forty distinct colours, so forty runs never share one: Tableau 20, then d3's category20b, whose darker
     * and muted hues none of the first twenty repeat. Run i gets colour i, wrapping past 40.
     */
    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2",
            "#edc948", "#ff9da7", "#9c755f", "#8cd17d", "#499894", "#d37295", "#a0cbe8", "#ffbe7d", "#86bcb6",
            "#f1ce63", "#d4a6c8", "#b6992d", "#79706e", "#fabfd2",
            "#393b79", "#5254a3", "#6b6ecf", "#9c9ede", "#637939", "#8ca252", "#b5cf6b", "#cedb9c", "#8c6d31",
            "#bd9e39", "#e7ba52", "#e7cb94", "#843c39", "#ad494a", "#d6616b", "#e7969c", "#7b4173", "#a55194",
            "#ce6dbd", "#de9ed6");

    /**
     * @param config  the run's config as dotted keys (what the difference table, grouping and the parallel
     *                coordinates read), with {@code model} added for a job whose config does not name it
     * @param without the other runs' ids, comma-separated: the address of this compare less this run
     */
    record Compared(String id, String name, String model, String project, String state, String color,
            Map<String, Object> config, Map<String, Double> summary, String without) {
    }

    private final RunViews views;
    private final JsonMapper json;

    CompareController(RunViews views, JsonMapper json) {
        this.views = views;
        this.json = json;
    }

    /** {@code runs} is a comma-separated list, or the table's repeated checkboxes. */
    @GetMapping("/compare")
    String compare(@RequestParam(required = false) List<String> runs, Model model) {
        Set<String> ids = new LinkedHashSet<>();
        if (runs != null) {
            runs.stream().flatMap(r -> List.of(r.split(",")).stream()).map(String::strip).filter(r -> !r.isEmpty())
                    .forEach(ids::add);
        }
        if (ids.size() > MAX_RUNS) {
            throw new BadRequestException("runs", "compare at most " + MAX_RUNS + " runs at once, not " + ids.size());
        }
        var found = new ArrayList<RunView>();
        var missing = new ArrayList<String>();
        Set<String> keys = new LinkedHashSet<>();
        for (String id : ids) {
            try {
                RunView run = views.of(id);
                found.add(run);
                if (run.summary() != null) {
                    keys.addAll(run.summary().keySet());
                }
            } catch (NotFoundException gone) {
                missing.add(id);
            }
        }
        var compared = new ArrayList<Compared>();
        for (RunView run : found) {
            String runModel = run.job() == null ? RunTable.EXTERNAL : run.job().model();
            Map<String, Object> config = new LinkedHashMap<>(RunConfigIndex.flatten(run.config()));
            if (run.job() != null) {
                config.putIfAbsent("model", runModel);
            }
            String without = String.join(",", found.stream().map(RunView::id).filter(other -> !other.equals(run.id())).toList());
            compared.add(new Compared(run.id(), run.name(), runModel, run.project(), run.state().name(),
                    PALETTE.get(compared.size() % PALETTE.size()), config,
                    run.summary() == null ? Map.of() : run.summary(), without));
        }
        var difference = compared.isEmpty() ? null
                : ConfigDifference.of(compared.stream().map(Compared::config).toList(), this::show);
        List<String> sortedKeys = keys.stream().sorted(Comparator.comparing((String k) -> k.equals("loss") ? 0
                : k.equals("accuracy") ? 1 : 2).thenComparing(k -> k)).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runs", compared);
        data.put("keys", sortedKeys);
        data.put("palette", PALETTE);
        model.addAttribute("runs", compared);
        model.addAttribute("missing", missing);
        model.addAttribute("keys", sortedKeys);
        model.addAttribute("difference", difference);
        model.addAttribute("ids", compared.stream().map(Compared::id).toList());
        // Read by compare.js with JSON.parse; Thymeleaf escapes it as an attribute value.
        model.addAttribute("data", json.writeValueAsString(data));
        model.addAttribute("projects", String.join(",", compared.stream().map(Compared::project).distinct().toList()));
        return "compare";
    }

    /** A config value as the table shows it: 1 and 1.0 alike, lists and objects as JSON. */
    private String show(Object value) {
        if (value instanceof Double d && !d.isInfinite() && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Number || value instanceof String || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return json.writeValueAsString(value);
    }
}

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

    /** Distinct on light and dark backgrounds; run i gets colour i, wrapping past 20. */
    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2",
            "#edc948", "#ff9da7", "#9c755f", "#8cd17d", "#499894", "#d37295", "#a0cbe8", "#ffbe7d", "#86bcb6",
            "#f1ce63", "#d4a6c8", "#b6992d", "#79706e", "#fabfd2");

    record Compared(String id, String name, String model, String project, String state, String color) {
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
        var compared = new ArrayList<Compared>();
        var missing = new ArrayList<String>();
        Set<String> keys = new LinkedHashSet<>();
        for (String id : ids) {
            try {
                RunView run = views.of(id);
                String runModel = run.job() == null ? RunTable.EXTERNAL : run.job().model();
                compared.add(new Compared(run.id(), run.name(), runModel, run.project(), run.state().name(),
                        PALETTE.get(compared.size() % PALETTE.size())));
                if (run.summary() != null) {
                    keys.addAll(run.summary().keySet());
                }
            } catch (NotFoundException gone) {
                missing.add(id);
            }
        }
        List<String> sortedKeys = keys.stream().sorted(Comparator.comparing((String k) -> k.equals("loss") ? 0
                : k.equals("accuracy") ? 1 : 2).thenComparing(k -> k)).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runs", compared);
        data.put("keys", sortedKeys);
        model.addAttribute("runs", compared);
        model.addAttribute("missing", missing);
        model.addAttribute("keys", sortedKeys);
        // Read by compare.js with JSON.parse; Thymeleaf escapes it as an attribute value.
        model.addAttribute("data", json.writeValueAsString(data));
        model.addAttribute("projects", String.join(",", compared.stream().map(Compared::project).distinct().toList()));
        return "compare";
    }
}

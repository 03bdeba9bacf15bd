package dev.trainyard.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Parallel coordinates and scatter for a sweep or a project's runs, however many: params.js pages through
 * {@code GET /api/v1/runs} with the same filters, so the page holds no copy of the runs' configs.
 */
@Controller
class ParamsController {

    @GetMapping("/params")
    String params(@RequestParam(required = false) String group, @RequestParam(required = false) String project,
            Model model) {
        String sweep = blankToNull(group);
        String slug = blankToNull(project);
        String api = null;
        String scope = "";
        if (sweep != null || slug != null) {
            var uri = UriComponentsBuilder.fromPath("/api/v1/runs");
            if (sweep != null) {
                uri.queryParam("group", sweep);
                scope = "sweep " + sweep;
            }
            if (slug != null) {
                uri.queryParam("project", slug);
                scope = scope.isEmpty() ? "project " + slug : scope + " in project " + slug;
            }
            api = uri.encode().build().toUriString();
        }
        model.addAttribute("api", api);
        model.addAttribute("scope", scope);
        return "params";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

package dev.trainyard.web;

import dev.trainyard.sweeps.SweepManagement;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sweeps list, and a sweep's result page: sweep.js reads {@code GET /api/v1/sweeps/{id}} and redraws
 * it as its runs change.
 */
@Controller
class SweepPageController {

    private static final int LISTED = 200;

    private final SweepManagement sweeps;

    SweepPageController(SweepManagement sweeps) {
        this.sweeps = sweeps;
    }

    @GetMapping("/sweeps")
    String list(@RequestParam(required = false) String project, Model model) {
        String slug = project == null || project.isBlank() ? null : project.strip();
        model.addAttribute("sweeps", sweeps.list(slug, LISTED));
        model.addAttribute("project", slug);
        return "sweeps";
    }

    @GetMapping("/sweeps/{id}")
    String sweep(@PathVariable String id, Model model) {
        model.addAttribute("id", id);
        return "sweep";
    }
}

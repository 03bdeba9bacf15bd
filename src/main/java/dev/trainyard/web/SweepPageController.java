package dev.trainyard.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** A sweep's result page. sweep.js reads {@code GET /api/v1/sweeps/{id}} and redraws it as its runs change. */
@Controller
class SweepPageController {

    @GetMapping("/sweeps/{id}")
    String sweep(@PathVariable String id, Model model) {
        model.addAttribute("id", id);
        return "sweep";
    }
}

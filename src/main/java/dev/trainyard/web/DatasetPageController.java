package dev.trainyard.web;

import dev.trainyard.datasets.DatasetStore;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Uploaded datasets and the upload form; datasets.js posts the file to the API with a progress bar. */
@Controller
class DatasetPageController {

    private final DatasetStore datasets;

    DatasetPageController(DatasetStore datasets) {
        this.datasets = datasets;
    }

    @GetMapping("/datasets")
    String datasets(Model model) {
        model.addAttribute("datasets", datasets.all());
        return "datasets";
    }
}

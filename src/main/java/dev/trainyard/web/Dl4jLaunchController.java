package dev.trainyard.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.QuotaExceededException;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.training.Dl4jTemplates;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.Tabular;
import dev.trainyard.training.TabularSchema;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The form that queues a dl4j job: paste a network's JSON or start from a template (its builder code shown beside
 * it), pick a table and its label column. What the API refuses is shown beside the field it is about.
 */
@Controller
class Dl4jLaunchController {

    /** A table the form offers, with what the label picker needs. */
    record TableChoice(String value, String title, String columns, String label, String task) {
    }

    /** Class-level checks of the spec, and the field each belongs next to. */
    private static final Map<String, String> SPEC_CHECKS = Map.of("dl4jNetworkGiven", "network", "dl4jDataGiven", "label",
            "tabularOnlyForDl4j", "network", "dl4jWithoutTextSettings", "network");
    /** The API's field for a refusal, as this form names it. */
    private static final Map<String, String> API_FIELDS = Map.of("job.network", "network", "job.networkFile", "network",
            "job.label", "label", "job.dataset", "dataset", "job", "network", "project", "project");

    private final RunManagement runs;
    private final DatasetStore datasets;
    private final Validator validator;

    Dl4jLaunchController(RunManagement runs, DatasetStore datasets, Validator validator) {
        this.runs = runs;
        this.datasets = datasets;
        this.validator = validator;
    }

    @ModelAttribute
    void choices(Model model) {
        model.addAttribute("templates", Dl4jTemplates.all());
        var tables = new ArrayList<TableChoice>();
        Tabular.BUILTINS.forEach((name, builtin) -> tables.add(new TableChoice(name, name + " — " + builtin.description(),
                String.join(",", Tabular.builtinSchema(name).names()), builtin.label(), builtin.task())));
        datasets.all().stream().filter(d -> d.schema() != null).forEach(d -> {
            TabularSchema s = d.schema();
            List<String> names = s.names();
            tables.add(new TableChoice("dataset:" + d.id(), d.name() + " (" + d.id() + ", " + s.rows() + " rows)",
                    String.join(",", names), names.get(names.size() - 1), null));
        });
        model.addAttribute("tables", tables);
    }

    @GetMapping("/launch/dl4j")
    String form(@RequestParam(required = false) String project, @RequestParam(required = false) String dataset, Model page) {
        var form = new Dl4jLaunchForm();
        Dl4jTemplates.Template first = Dl4jTemplates.all().get(0);
        form.setTemplate(first.id());
        form.setNetwork(first.json());
        form.setDataset(first.dataset());
        Tabular.Builtin builtin = Tabular.BUILTINS.get(first.dataset());
        form.setLabel(builtin.label());
        form.setTask(builtin.task());
        JobSpec defaults = JobSpec.dl4j(null, first.dataset(), null, null, null, null, null).withDefaults();
        form.setEpochs(defaults.epochs());
        form.setBatchSize(defaults.batchSize());
        form.setValidationFraction(defaults.validationFraction());
        form.setNormalizer(defaults.normalizer());
        if (project != null && !project.isBlank()) {
            form.setProject(project.strip());
        }
        if (dataset != null && !dataset.isBlank()) {
            form.setDataset(dataset.strip());
            form.setLabel(null);
            form.setTask(null);
        }
        page.addAttribute("launch", form);
        return "launch-dl4j";
    }

    @PostMapping("/launch/dl4j")
    String launch(@Valid @ModelAttribute("launch") Dl4jLaunchForm form, BindingResult result) {
        JobSpec spec = form.spec();
        validator.validate(spec).forEach(violation -> {
            String path = violation.getPropertyPath().toString();
            String field = SPEC_CHECKS.getOrDefault(path, path);
            if (!result.hasFieldErrors(field)) {
                result.rejectValue(field, "range", violation.getMessage());
            }
        });
        if (result.hasErrors()) {
            return "launch-dl4j";
        }
        try {
            Run run = runs.create(new NewRun(form.getProject().strip(), form.getName(), null, Set.of(), null, spec));
            return "redirect:/runs/" + run.getId();
        } catch (BadRequestException e) {
            result.rejectValue(API_FIELDS.getOrDefault(e.field() == null ? "job" : e.field(), "network"), "invalid", e.getMessage());
            return "launch-dl4j";
        } catch (QuotaExceededException e) {
            result.reject("quota", e.getMessage());
            return "launch-dl4j";
        }
    }
}

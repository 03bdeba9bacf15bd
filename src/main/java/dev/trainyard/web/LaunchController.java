package dev.trainyard.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.QuotaExceededException;
import dev.trainyard.sweeps.Horizon;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.training.JobSpec;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import org.springframework.beans.PropertyAccessException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DefaultBindingErrorProcessor;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The form that queues a job, for people who'd rather not curl: one model, or the same settings on
 * rnn, gru and lstm side by side. The memory-horizon launcher on the same page posts to the sweeps API.
 */
@Controller
class LaunchController {

    /** Class-level checks of the spec, and the field each belongs next to. */
    private static final Map<String, String> SPEC_CHECKS = Map.of(
            "memorizeLengthInRange", "memorizeLength", "recallDelayInRange", "dataset", "seedRnnConsistent", "dataset");

    private final RunManagement runs;
    private final DatasetStore datasets;
    private final Validator validator;
    private final TransactionTemplate transaction;

    LaunchController(RunManagement runs, DatasetStore datasets, Validator validator, TransactionTemplate transaction) {
        this.runs = runs;
        this.datasets = datasets;
        this.validator = validator;
        this.transaction = transaction;
    }

    @InitBinder("launch")
    void friendlyTypeErrors(WebDataBinder binder) {
        // Spring's own message for "abc" in a number field is a conversion stack trace in prose.
        binder.setBindingErrorProcessor(new DefaultBindingErrorProcessor() {
            @Override
            public void processPropertyAccessException(PropertyAccessException e, BindingResult result) {
                String field = e.getPropertyName();
                boolean whole = e instanceof TypeMismatchException mismatch
                        && (mismatch.getRequiredType() == Integer.class || mismatch.getRequiredType() == Long.class);
                result.addError(new FieldError(result.getObjectName(), field, e.getValue(), true,
                        result.resolveMessageCodes(e.getErrorCode(), field), null,
                        whole ? "must be a whole number" : "must be a number"));
            }
        });
    }

    @ModelAttribute
    void choices(Model model) {
        model.addAttribute("params", HyperParameters.all());
        model.addAttribute("models", HyperParameters.models());
        model.addAttribute("compared", String.join(" / ", HyperParameters.comparedModels().stream()
                .map(m -> m.toUpperCase(Locale.ROOT)).toList()));
        model.addAttribute("builtin", HyperParameters.BUILTIN_DATASET);
        model.addAttribute("seedSentence", JobSpec.SEED_SENTENCE);
        model.addAttribute("seedRnn", JobSpec.SEED_RNN);
        model.addAttribute("memorizeRange", HyperParameters.memorizeRange());
        model.addAttribute("stepMeaning", HyperParameters.STEP_MEANING);
        model.addAttribute("recallRange", JobSpec.MIN_RECALL_DELAY + "–" + String.format(Locale.ENGLISH, "%,d",
                JobSpec.MAX_RECALL_DELAY));
        model.addAttribute("horizonLengths", Horizon.LENGTHS.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        model.addAttribute("horizonSteps", Horizon.STEPS);
        model.addAttribute("horizonHidden", Horizon.HIDDEN);
        model.addAttribute("horizonBatch", Horizon.BATCH_SIZE);
        model.addAttribute("uploads", datasets.all());
    }

    /** Query parameters pre-fill the form: {@code /launch?project=nlp&dataset=dataset:abc&model=gru}. */
    @GetMapping("/launch")
    String form(@RequestParam(required = false) String project, @RequestParam(required = false) String model,
            @RequestParam(required = false) String dataset, Model page) {
        if (JobSpec.DL4J.equals(model)) {
            return "redirect:" + UriComponentsBuilder.fromPath("/launch/dl4j").queryParamIfPresent("project",
                    java.util.Optional.ofNullable(project)).queryParamIfPresent("dataset", java.util.Optional.ofNullable(dataset))
                    .toUriString();
        }
        String chosen = model != null && HyperParameters.models().contains(model) ? model : JobSpec.SEED_RNN;
        LaunchForm form = LaunchForm.defaults(chosen);
        if (project != null && !project.isBlank()) {
            form.setProject(project.strip());
        }
        if (dataset != null && !dataset.isBlank()) {
            form.setDataset(dataset.strip());
        }
        page.addAttribute("launch", form);
        return "launch";
    }

    @PostMapping(value = "/launch", params = "!compare")
    String launch(@Valid @ModelAttribute("launch") LaunchForm form, BindingResult result) {
        String model = form.getModel() == null || form.getModel().isBlank() ? JobSpec.SEED_RNN : form.getModel().strip();
        JobSpec spec = checked(form, model, result);
        if (result.hasErrors()) {
            return "launch";
        }
        try {
            Run run = runs.create(new NewRun(form.getProject().strip(), form.getName(), null, Set.of(), null, spec));
            return "redirect:/runs/" + run.getId();
        } catch (BadRequestException e) {
            return rejected(e, result);
        } catch (QuotaExceededException e) {
            result.reject("quota", e.getMessage());
            return "launch";
        }
    }

    /** The same settings on every compared model, then the compare page with all of them. */
    @PostMapping(value = "/launch", params = "compare")
    String compare(@Valid @ModelAttribute("launch") LaunchForm form, BindingResult result) {
        List<String> models = HyperParameters.comparedModels();
        var specs = new ArrayList<JobSpec>();
        for (String model : models) {
            specs.add(checked(form, model, result));
            if (result.hasErrors()) {
                return "launch";
            }
        }
        String name = form.getName() == null || form.getName().isBlank() ? null : form.getName().strip();
        try {
            // All three or none: a half-launched comparison would be confusing.
            List<String> ids = transaction.execute(tx -> {
                var created = new ArrayList<String>();
                for (int i = 0; i < models.size(); i++) {
                    String runName = name == null ? null : name + " (" + models.get(i) + ")";
                    created.add(runs.create(new NewRun(form.getProject().strip(), runName, null, Set.of(), null, specs.get(i))).getId());
                }
                return created;
            });
            return "redirect:" + UriComponentsBuilder.fromPath("/compare").queryParam("runs", String.join(",", ids)).toUriString();
        } catch (BadRequestException e) {
            return rejected(e, result);
        } catch (QuotaExceededException e) {
            result.reject("quota", e.getMessage());
            return "launch";
        }
    }

    /** The spec for {@code model}, with its violations added to the form's fields. */
    private JobSpec checked(LaunchForm form, String model, BindingResult result) {
        if (form.memorize() && form.getMemorizeLength() == null && !result.hasFieldErrors("memorizeLength")) {
            result.rejectValue("memorizeLength", "required", "enter a length, " + HyperParameters.memorizeRange());
        }
        // The page has no epochs input, so what was wrong with steps' old name is shown at steps, naming it.
        if (result.hasFieldErrors(JobSpec.STEPS_ALIAS) && !result.hasFieldErrors("steps")) {
            result.rejectValue("steps", "alias", JobSpec.STEPS_ALIAS + " (the old name of steps) "
                    + result.getFieldError(JobSpec.STEPS_ALIAS).getDefaultMessage());
        }
        JobSpec spec = form.spec(model);
        validator.validate(spec).forEach(violation -> {
            String path = violation.getPropertyPath().toString();
            String field = SPEC_CHECKS.getOrDefault(path, path);
            // A field that didn't even parse already says so; one message per field is enough.
            if (!result.hasFieldErrors(field)) {
                result.rejectValue(field, "range", violation.getMessage());
            }
        });
        return spec;
    }

    private static String rejected(BadRequestException e, BindingResult result) {
        // The project slug, an uploaded dataset that has gone and the job's size are what create() still checks.
        String field = e.field() == null ? "project" : e.field().endsWith("dataset") ? "dataset" : e.field().equals("job") ? "steps"
                : "project";
        result.rejectValue(field, "invalid", e.getMessage());
        return "launch";
    }
}

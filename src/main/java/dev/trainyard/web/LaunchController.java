package dev.trainyard.web;

import java.util.Set;

import dev.trainyard.shared.BadRequestException;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunManagement;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import org.springframework.beans.PropertyAccessException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DefaultBindingErrorProcessor;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** The form that queues a seed-rnn job, for people who'd rather not curl. */
@Controller
class LaunchController {

    private final RunManagement runs;
    private final Validator validator;

    LaunchController(RunManagement runs, Validator validator) {
        this.runs = runs;
        this.validator = validator;
    }

    @InitBinder("launch")
    void friendlyTypeErrors(WebDataBinder binder) {
        // Spring's own message for "abc" in a number field is a conversion stack trace in prose.
        binder.setBindingErrorProcessor(new DefaultBindingErrorProcessor() {
            @Override
            public void processPropertyAccessException(PropertyAccessException e, BindingResult result) {
                String field = e.getPropertyName();
                boolean whole = e instanceof TypeMismatchException mismatch && mismatch.getRequiredType() == Integer.class;
                result.addError(new FieldError(result.getObjectName(), field, e.getValue(), true,
                        result.resolveMessageCodes(e.getErrorCode(), field), null,
                        whole ? "must be a whole number" : "must be a number"));
            }
        });
    }

    @GetMapping("/launch")
    String form(Model model) {
        model.addAttribute("launch", new LaunchForm());
        return "launch";
    }

    @PostMapping("/launch")
    String launch(@Valid @ModelAttribute("launch") LaunchForm form, BindingResult result) {
        validator.validate(form.spec()).forEach(violation -> {
            String field = violation.getPropertyPath().toString();
            // A field that didn't even parse already says so; one message per field is enough.
            if (!result.hasFieldErrors(field)) {
                result.rejectValue(field, "range", violation.getMessage());
            }
        });
        if (result.hasErrors()) {
            return "launch";
        }
        try {
            Run run = runs.create(new NewRun(form.getProject().strip(), form.getName(), null, Set.of(), null, form.spec()));
            return "redirect:/runs/" + run.getId();
        } catch (BadRequestException e) {
            // The project slug is the only thing create() still checks that the form can get wrong.
            result.rejectValue("project", "invalid", e.getMessage());
            return "launch";
        }
    }
}

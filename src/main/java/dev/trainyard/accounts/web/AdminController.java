package dev.trainyard.accounts.web;

import dev.trainyard.accounts.AccountManagement;
import dev.trainyard.accounts.AuthSettings;
import dev.trainyard.accounts.Role;
import dev.trainyard.accounts.SignInThrottle;
import dev.trainyard.shared.web.BadRequestException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's page: who may sign in, and with which role. */
@Controller
class AdminController {

    private final AuthSettings settings;
    private final AccountManagement accounts;
    private final SignInThrottle throttle;

    AdminController(AuthSettings settings, AccountManagement accounts, SignInThrottle throttle) {
        this.settings = settings;
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @GetMapping("/admin/users")
    String users(Model model) {
        if (!settings.enabled()) {
            return "local-mode";
        }
        if (!model.containsAttribute("newUser")) {
            model.addAttribute("newUser", new AccountForms.NewUser());
        }
        model.addAttribute("users", accounts.list());
        model.addAttribute("roles", Role.values());
        model.addAttribute("locks", throttle.locks());
        return "admin-users";
    }

    @PostMapping("/admin/locks/unlock")
    String unlock(@RequestParam String kind, @RequestParam String subject, RedirectAttributes redirect) {
        throttle.unlock(kind, subject);
        redirect.addFlashAttribute("message", "Unlocked " + subject + ".");
        return "redirect:/admin/users";
    }

    @PostMapping("/admin/users")
    String create(@ModelAttribute("newUser") AccountForms.NewUser form, BindingResult result, Model model,
            RedirectAttributes redirect) {
        if (result.hasErrors()) {
            return users(model);
        }
        try {
            var account = accounts.create(form.getUsername(), form.getPassword(), form.getRole());
            redirect.addFlashAttribute("message", "Created " + account.getUsername() + " (" + account.getRole().label() + ").");
            return "redirect:/admin/users";
        } catch (BadRequestException e) {
            result.rejectValue(e.field(), "invalid", e.getMessage());
            return users(model);
        }
    }

    @PostMapping("/admin/users/{id}")
    String update(@PathVariable long id, @RequestParam Role role, @RequestParam(defaultValue = "false") boolean enabled,
            RedirectAttributes redirect) {
        try {
            var account = accounts.update(id, role, enabled);
            redirect.addFlashAttribute("message", "Saved " + account.getUsername() + ".");
        } catch (BadRequestException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/users";
    }
}

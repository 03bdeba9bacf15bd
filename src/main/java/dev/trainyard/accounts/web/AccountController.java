package dev.trainyard.accounts.web;

import dev.trainyard.accounts.AccountManagement;
import dev.trainyard.accounts.AuthSettings;
import dev.trainyard.accounts.TokenManagement;
import dev.trainyard.shared.web.BadRequestException;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Sign-in, and a person's own account: API tokens (each shown once) and password. */
@Controller
class AccountController {

    private final AuthSettings settings;
    private final TokenManagement tokens;
    private final AccountManagement accounts;

    AccountController(AuthSettings settings, TokenManagement tokens, AccountManagement accounts) {
        this.settings = settings;
        this.tokens = tokens;
        this.accounts = accounts;
    }

    @GetMapping("/login")
    String login() {
        return settings.enabled() ? "login" : "redirect:/projects";
    }

    @GetMapping("/account")
    String account(Authentication user, Model model) {
        if (!settings.enabled()) {
            return "local-mode";
        }
        if (!model.containsAttribute("tokenForm")) {
            model.addAttribute("tokenForm", new AccountForms.NewToken());
        }
        if (!model.containsAttribute("passwordForm")) {
            model.addAttribute("passwordForm", new AccountForms.PasswordChange());
        }
        model.addAttribute("tokens", tokens.tokensOf(user.getName()));
        return "account";
    }

    @PostMapping("/account/tokens")
    String createToken(Authentication user, @ModelAttribute("tokenForm") AccountForms.NewToken form, BindingResult result,
            Model model, RedirectAttributes redirect) {
        try {
            var issued = tokens.issue(user.getName(), form.getName());
            // Shown on the next page only: the server cannot show it again.
            redirect.addFlashAttribute("issued", issued.secret());
            redirect.addFlashAttribute("issuedName", issued.token().getName());
            return "redirect:/account";
        } catch (BadRequestException e) {
            result.rejectValue("name", "invalid", e.getMessage());
            return account(user, model);
        }
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revokeToken(Authentication user, @PathVariable long id) {
        tokens.revoke(user.getName(), id);
        return "redirect:/account";
    }

    @PostMapping("/account/password")
    String changePassword(Authentication user, HttpSession session, @ModelAttribute("passwordForm") AccountForms.PasswordChange form,
            BindingResult result, Model model, RedirectAttributes redirect) {
        try {
            accounts.changePassword(user.getName(), form.getCurrent(), form.getNext());
            accounts.keepSignedIn(session, user.getName());
            redirect.addFlashAttribute("passwordChanged", true);
            return "redirect:/account";
        } catch (BadRequestException e) {
            result.rejectValue(e.field(), "invalid", e.getMessage());
            return account(user, model);
        }
    }
}

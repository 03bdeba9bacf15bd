package dev.trainyard.accounts.web;

import dev.trainyard.accounts.SignedIn;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every dashboard page shows who is signed in, with links to their tokens and, for admins, users. */
@ControllerAdvice(basePackages = {"dev.trainyard.web", "dev.trainyard.accounts"})
class SignedInModel {

    @ModelAttribute("signedIn")
    SignedIn signedIn() {
        return SignedIn.current().orElse(null);
    }
}

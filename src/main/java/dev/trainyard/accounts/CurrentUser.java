package dev.trainyard.accounts;

import java.util.Optional;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is making the current request, in team mode; empty in local mode, where nobody signs in. */
public final class CurrentUser {

    private CurrentUser() {
    }

    public static Optional<String> name() {
        return authentication().map(Authentication::getName);
    }

    /** The signed-in user's authentication; empty for nobody and for Spring's anonymous stand-in. */
    public static Optional<Authentication> authentication() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        return Optional.of(authentication);
    }
}

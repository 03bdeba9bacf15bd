package dev.trainyard.accounts;

import java.util.Optional;

import dev.trainyard.accounts.CurrentUser;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The person behind this request, for the pages' header; absent in local mode. */
public record SignedIn(String username, Role role) {

    public boolean admin() {
        return role == Role.ADMIN;
    }

    public static Optional<SignedIn> current() {
        return CurrentUser.authentication().map(SignedIn::of);
    }

    private static SignedIn of(Authentication authentication) {
        Role role = Role.VIEWER;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role candidate : Role.values()) {
                if (("ROLE_" + candidate.name()).equals(authority.getAuthority()) && candidate.compareTo(role) > 0) {
                    role = candidate;
                }
            }
        }
        return new SignedIn(authentication.getName(), role);
    }
}

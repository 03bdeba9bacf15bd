package dev.trainyard.accounts;

import java.util.Optional;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The person behind this request, for the pages' header; absent in local mode. */
public record SignedIn(String username, Role role) {

    public boolean admin() {
        return role == Role.ADMIN;
    }

    static Optional<SignedIn> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        Role role = Role.VIEWER;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role candidate : Role.values()) {
                if (("ROLE_" + candidate.name()).equals(authority.getAuthority()) && candidate.compareTo(role) > 0) {
                    role = candidate;
                }
            }
        }
        return Optional.of(new SignedIn(authentication.getName(), role));
    }
}

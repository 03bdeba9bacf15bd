package dev.trainyard.accounts;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;

/** The filters that sign a single request in (a token, Basic credentials): the rest of the chain runs as that user, and no session is kept. */
final class RequestAuthentication {

    private static final SecurityContextHolderStrategy CONTEXTS = SecurityContextHolder.getContextHolderStrategy();

    private RequestAuthentication() {
    }

    static void continueAs(UserDetails user, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        var context = CONTEXTS.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        CONTEXTS.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            CONTEXTS.clearContext();
        }
    }
}

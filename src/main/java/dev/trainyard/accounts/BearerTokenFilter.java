package dev.trainyard.accounts;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} for scripts. The authentication lives for this request
 * only: no session is made, so no CSRF token is needed (a browser cannot forge this header).
 * A wrong token is a 401 at once rather than a silent fall-back to anonymous.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final TokenManagement tokens;
    private final ApiAuthProblems problems;

    BearerTokenFilter(TokenManagement tokens, ApiAuthProblems problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        String secret = request.getHeader(HttpHeaders.AUTHORIZATION).substring(BEARER.length()).strip();
        var user = tokens.authenticate(secret);
        if (user.isEmpty()) {
            problems.commence(request, response, new BadCredentialsException(ApiAuthProblems.INVALID_TOKEN));
            return;
        }
        RequestAuthentication.continueAs(user.get(), request, response, chain);
    }
}

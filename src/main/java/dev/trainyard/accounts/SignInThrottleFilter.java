package dev.trainyard.accounts;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A sign-in with a locked username or from a locked address is refused before its password is
 * checked, right or wrong; every failed sign-in is counted. The answer is the same whether the
 * username exists or not.
 */
final class SignInThrottleFilter extends OncePerRequestFilter {

    private final SignInThrottle throttle;

    SignInThrottleFilter(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    static SimpleUrlAuthenticationFailureHandler countingFailureHandler(SignInThrottle throttle) {
        return new SimpleUrlAuthenticationFailureHandler("/login?error") {
            @Override
            public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
                    throws IOException, ServletException {
                throttle.failed(request.getParameter("username"), request.getRemoteAddr());
                super.onAuthenticationFailure(request, response, e);
            }
        };
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant until = throttle.lockedUntil(request.getParameter("username"), request.getRemoteAddr());
        if (until != null) {
            long minutes = Math.max(1, (Duration.between(Instant.now(), until).toSeconds() + 59) / 60);
            response.sendRedirect(request.getContextPath() + "/login?locked=" + minutes);
            return;
        }
        chain.doFilter(request, response);
    }
}

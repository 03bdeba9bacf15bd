package dev.trainyard.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Basic} on MLflow's paths, which is how MLflow's clients send
 * {@code MLFLOW_TRACKING_USERNAME} / {@code _PASSWORD}. The password may be the user's own or one of
 * the user's API tokens. Like the sign-in form, a locked username or address is refused before the
 * password is checked and every failure counts against the lock, so Basic is no way around it. The
 * authentication lives for this request only; no session is made.
 */
final class MlflowBasicAuthFilter extends OncePerRequestFilter {

    private static final String BASIC = "Basic ";

    private final Accounts accounts;
    private final PasswordEncoder passwords;
    private final TokenManagement tokens;
    private final SignInThrottle throttle;
    private final ApiAuthProblems problems;
    private final Clock clock;
    /** Compared against when the user does not exist, so that a missing user costs the same time as a wrong password. */
    private final String decoy;

    MlflowBasicAuthFilter(Accounts accounts, PasswordEncoder passwords, TokenManagement tokens, SignInThrottle throttle,
            ApiAuthProblems problems, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.problems = problems;
        this.clock = clock;
        this.decoy = passwords.encode("no such user");
    }

    static boolean hasBasic(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !(hasBasic(request) && ApiAuthProblems.isMlflow(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] credentials = decode(request.getHeader(HttpHeaders.AUTHORIZATION).substring(BASIC.length()).strip());
        if (credentials == null) {
            problems.unauthenticated(request, response, "the Basic credentials are not base64 of 'username:password'");
            return;
        }
        String username = credentials[0];
        String address = request.getRemoteAddr();
        Instant until = throttle.lockedUntil(username, address);
        if (until != null) {
            long minutes = Math.max(1, (Duration.between(clock.instant(), until).toSeconds() + 59) / 60);
            problems.unauthenticated(request, response, "too many failed sign-ins; try again in " + minutes + " minutes");
            return;
        }
        Optional<UserDetails> user = authenticate(username, credentials[1]);
        if (user.isEmpty()) {
            throttle.failed(username, address);
            problems.unauthenticated(request, response,
                    "wrong username or password (the password may also be one of the user's API tokens), or the user is disabled");
            return;
        }
        RequestAuthentication.continueAs(user.get(), request, response, chain);
    }

    /** The user's password, or an API token of this very user (a token names its owner; the username must agree). */
    private Optional<UserDetails> authenticate(String username, String password) {
        if (password.startsWith(TokenManagement.SCHEME_PREFIX)) {
            Optional<UserDetails> byToken = tokens.authenticate(password).filter(u -> u.getUsername().equals(username));
            if (byToken.isPresent()) {
                return byToken;
            }
        }
        Optional<Account> account = accounts.findByUsername(username);
        boolean matches = passwords.matches(password, account.map(Account::getPasswordHash).orElse(decoy));
        if (account.isEmpty() || !matches || !account.get().isEnabled()) {
            return Optional.empty();
        }
        throttle.succeeded(username);
        return account.map(AccountManagement::details);
    }

    private static String[] decode(String encoded) {
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

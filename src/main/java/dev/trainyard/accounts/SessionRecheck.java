package dev.trainyard.accounts;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A session keeps the roles it signed in with unless someone looks again, so every request made
 * with a session reads its account: a disabled, deleted or re-passworded account ends the session
 * (the request goes on as anonymous), a changed role takes effect at once. The session remembers a
 * digest of the password hash it signed in with; the session that changes the password is given
 * the new one, so it alone survives the change.
 */
final class SessionRecheck extends OncePerRequestFilter {

    static final String PASSWORD_STAMP = SessionRecheck.class.getName() + ".password";

    private final Accounts accounts;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    SessionRecheck(Accounts accounts) {
        this.accounts = accounts;
    }

    /** The digest a session keeps: the password hash itself never goes into the session. */
    static String stamp(Account account) {
        return TokenManagement.hash(account.getPasswordHash());
    }

    /** After sign-in: remember which password this session was opened with. */
    static SavedRequestAwareAuthenticationSuccessHandler stampingSuccessHandler(Accounts accounts, SignInThrottle throttle,
            String target) {
        var handler = new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
                    throws ServletException, IOException {
                throttle.succeeded(authentication.getName());
                accounts.findByUsername(authentication.getName())
                        .ifPresent(account -> request.getSession().setAttribute(PASSWORD_STAMP, stamp(account)));
                super.onAuthenticationSuccess(request, response, authentication);
            }
        };
        handler.setDefaultTargetUrl(target);
        return handler;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Authentication authentication = contexts.getContext().getAuthentication();
        if (session == null || BearerTokenFilter.hasBearer(request)
                || !(authentication instanceof UsernamePasswordAuthenticationToken) || !authentication.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Account> account = accounts.findByUsername(authentication.getName());
        if (account.isEmpty() || !account.get().isEnabled()
                || !Objects.equals(session.getAttribute(PASSWORD_STAMP), stamp(account.get()))) {
            session.invalidate();
            contexts.clearContext();
            chain.doFilter(request, response);
            return;
        }
        var details = AccountManagement.details(account.get());
        if (!names(details.getAuthorities()).equals(names(authentication.getAuthorities()))) {
            var context = contexts.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(details, null, details.getAuthorities()));
            contexts.setContext(context);
            repository.saveContext(context, request, response);
        }
        chain.doFilter(request, response);
    }

    private static Set<String> names(java.util.Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
    }
}

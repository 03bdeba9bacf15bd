package dev.trainyard.accounts.web;

import dev.trainyard.accounts.ApiToken;
import dev.trainyard.accounts.AuthSettings;
import dev.trainyard.accounts.SignedIn;
import dev.trainyard.accounts.TokenManagement;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import dev.trainyard.shared.web.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Who am I, and my API tokens, for scripts (the dashboard's account page does the same). */
@RestController
@RequestMapping("/api/v1")
class TokenApiController {

    record Me(boolean authEnabled, String username, String role) {
    }

    record TokenView(long id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

        static TokenView of(ApiToken token) {
            return new TokenView(token.getId(), token.getName(), token.getTokenPrefix(), token.getCreatedAt(),
                    token.getLastUsedAt(), token.getRevokedAt());
        }
    }

    record NewToken(String name) {
    }

    /** The secret appears in this one response and nowhere else, ever. */
    record IssuedToken(long id, String name, String prefix, Instant createdAt, String token) {
    }

    private final AuthSettings settings;
    private final TokenManagement tokens;

    TokenApiController(AuthSettings settings, TokenManagement tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    @GetMapping("/me")
    Me me() {
        return SignedIn.current().map(s -> new Me(true, s.username(), s.role().label())).orElse(new Me(settings.enabled(), null, null));
    }

    @GetMapping("/tokens")
    List<TokenView> list(Authentication user) {
        return tokens.tokensOf(teamUser(user)).stream().map(TokenView::of).toList();
    }

    @PostMapping("/tokens")
    ResponseEntity<IssuedToken> create(Authentication user, @RequestBody NewToken request) {
        var issued = tokens.issue(teamUser(user), request.name());
        var token = issued.token();
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.getId()))
                .body(new IssuedToken(token.getId(), token.getName(), token.getTokenPrefix(), token.getCreatedAt(), issued.secret()));
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(Authentication user, @PathVariable long id) {
        tokens.revoke(teamUser(user), id);
    }

    private String teamUser(Authentication user) {
        if (!settings.enabled() || user == null) {
            throw new NotFoundException("this server runs in local mode (trainyard.auth.enabled=false): it has no API tokens and needs none");
        }
        return user.getName();
    }
}

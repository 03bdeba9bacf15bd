package dev.trainyard.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API tokens. A token is 32 random bytes, shown once; the store keeps its SHA-256 (a
 * secret that strong needs no slow hash) and looks requests up by it.
 */
@Service
public class TokenManagement {

    static final String SCHEME_PREFIX = "ty_";
    private static final int SHOWN_PREFIX = 10;
    private static final int MAX_NAME = 100;

    public record Issued(ApiToken token, String secret) {
    }

    private final ApiTokens tokens;
    private final Accounts accounts;
    private final AuthSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TokenManagement(ApiTokens tokens, Accounts accounts, AuthSettings settings, Clock clock) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional
    public Issued issue(String username, String name) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > MAX_NAME) {
            throw new BadRequestException("name", "name the token (1 to " + MAX_NAME + " characters), e.g. the script that uses it");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = SCHEME_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var token = new ApiToken(account(username), label, hash(secret), secret.substring(0, SHOWN_PREFIX), clock.instant());
        return new Issued(tokens.save(token), secret);
    }

    @Transactional(readOnly = true)
    public List<ApiToken> tokensOf(String username) {
        return tokens.findByAccountOrderByCreatedAtDesc(account(username));
    }

    /** Only the owner revokes; someone else's token id is as unknown as a missing one. */
    @Transactional
    public void revoke(String username, long id) {
        ApiToken token = tokens.findById(id).filter(t -> t.getAccount().getUsername().equals(username))
                .orElseThrow(() -> new NotFoundException("token", String.valueOf(id)));
        token.revoke(clock.instant());
    }

    /** The token's user, if the token exists, is not revoked and its user may still sign in. */
    @Transactional
    Optional<UserDetails> authenticate(String secret) {
        if (secret == null || !secret.startsWith(SCHEME_PREFIX)) {
            return Optional.empty();
        }
        Optional<ApiToken> found = tokens.findByHash(hash(secret)).filter(t -> !t.isRevoked() && t.getAccount().isEnabled());
        found.ifPresent(token -> {
            Instant now = clock.instant();
            if (token.getLastUsedAt() == null || token.getLastUsedAt().isBefore(now.minus(settings.tokenUseInterval()))) {
                tokens.touch(token.getId(), now, now.minus(settings.tokenUseInterval()));
            }
        });
        return found.map(token -> AccountManagement.details(token.getAccount()));
    }

    private Account account(String username) {
        return accounts.findByUsername(username).orElseThrow(() -> new NotFoundException("user", username));
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package dev.trainyard.accounts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Team mode. Off by default: a local server needs no login, and so listens on 127.0.0.1 only.
 *
 * @param enabled           sign-in for the dashboard, API tokens for scripts, roles for both
 * @param adminUsername     the first admin, created on the first start when no user exists yet
 * @param adminPassword     that admin's password; required on that first start, ignored afterwards
 * @param tokenUseInterval  how stale a token's {@code last_used_at} may get before a request updates it
 */
@ConfigurationProperties("trainyard.auth")
public record AuthSettings(boolean enabled, String adminUsername, String adminPassword, Duration tokenUseInterval) {

    public AuthSettings {
        adminUsername = adminUsername == null || adminUsername.isBlank() ? "admin" : adminUsername.strip();
        tokenUseInterval = tokenUseInterval == null ? Duration.ofMinutes(1) : tokenUseInterval;
    }

    @Override
    public String toString() {
        return "AuthSettings[enabled=" + enabled + ", adminUsername=" + adminUsername + "]";
    }
}

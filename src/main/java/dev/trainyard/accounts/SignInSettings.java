package dev.trainyard.accounts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sign-in throttling in team mode. Counters live in this process's memory and expire by themselves:
 * failures older than {@code lockout} are forgotten, a lock ends after {@code lockout}, and a
 * restart forgets them all (each web node counts its own).
 *
 * @param maxFailures           failed sign-ins with one username before it is locked; missing usernames count alike
 * @param maxFailuresPerAddress failed sign-ins from one client address, whatever the usernames, before it is locked
 * @param lockout               how long a lock lasts, and how long a failure is remembered
 */
@ConfigurationProperties("trainyard.auth.sign-in")
public record SignInSettings(Integer maxFailures, Integer maxFailuresPerAddress, Duration lockout) {

    public SignInSettings {
        maxFailures = maxFailures == null ? 5 : maxFailures;
        maxFailuresPerAddress = maxFailuresPerAddress == null ? 20 : maxFailuresPerAddress;
        lockout = lockout == null ? Duration.ofMinutes(15) : lockout;
    }
}

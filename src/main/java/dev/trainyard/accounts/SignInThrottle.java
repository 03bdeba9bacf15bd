package dev.trainyard.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

/**
 * Counts failed sign-ins per username and per client address, and locks either for a while once
 * it has too many. A username is counted whether or not such a user exists, so a lock tells
 * nothing about who has an account. See {@link SignInSettings} for how long counters live.
 */
@Service
public class SignInThrottle {

    /** What the admin page lists: a locked username or client address, and until when. */
    public record Lock(String kind, String subject, int failures, Instant until) {
    }

    private static final int MAX_TRACKED = 100_000;

    private final SignInSettings settings;
    private final Clock clock;
    private final Map<String, Counter> accounts = new ConcurrentHashMap<>();
    private final Map<String, Counter> addresses = new ConcurrentHashMap<>();

    SignInThrottle(SignInSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    private static final class Counter {
        int failures;
        Instant last;
        Instant lockedUntil;
    }

    /** The end of the lock on this username or this address, or null when sign-in may be tried. */
    Instant lockedUntil(String username, String address) {
        Instant now = clock.instant();
        Instant a = until(accounts.get(key(username)), now);
        Instant b = until(addresses.get(address), now);
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        if (accounts.size() + addresses.size() > MAX_TRACKED) {
            forgetExpired(now); // a flood of made-up usernames must not grow the maps without end
        }
        count(accounts, key(username), settings.maxFailures(), now);
        count(addresses, address, settings.maxFailuresPerAddress(), now);
    }

    /** A right password clears its username's count; not the address's, or one account could launder guesses at others. */
    void succeeded(String username) {
        accounts.remove(key(username));
    }

    public List<Lock> locks() {
        Instant now = clock.instant();
        var all = new java.util.ArrayList<Lock>();
        accounts.forEach((k, c) -> lockOf("account", k, c, now, all));
        addresses.forEach((k, c) -> lockOf("address", k, c, now, all));
        all.sort(Comparator.comparing(Lock::kind).thenComparing(Lock::subject));
        return all;
    }

    public void unlock(String kind, String subject) {
        ("address".equals(kind) ? addresses : accounts).remove("address".equals(kind) ? subject : key(subject));
    }

    private void lockOf(String kind, String subject, Counter c, Instant now, List<Lock> into) {
        synchronized (c) {
            if (c.lockedUntil != null && c.lockedUntil.isAfter(now)) {
                into.add(new Lock(kind, subject, c.failures, c.lockedUntil));
            }
        }
    }

    private void count(Map<String, Counter> counters, String key, int max, Instant now) {
        if (key == null) {
            return;
        }
        Counter c = counters.computeIfAbsent(key, k -> new Counter());
        synchronized (c) {
            if (c.last != null && c.last.plus(settings.lockout()).isBefore(now)) {
                c.failures = 0; // the earlier failures have expired
            }
            c.failures++;
            c.last = now;
            if (c.failures >= max) {
                c.lockedUntil = now.plus(settings.lockout());
            }
        }
    }

    private Instant until(Counter c, Instant now) {
        if (c == null) {
            return null;
        }
        synchronized (c) {
            return c.lockedUntil != null && c.lockedUntil.isAfter(now) ? c.lockedUntil : null;
        }
    }

    private void forgetExpired(Instant now) {
        for (var counters : List.of(accounts, addresses)) {
            counters.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    Counter c = e.getValue();
                    boolean locked = c.lockedUntil != null && c.lockedUntil.isAfter(now);
                    return !locked && c.last.plus(settings.lockout()).isBefore(now);
                }
            });
        }
    }

    private static String key(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }
}

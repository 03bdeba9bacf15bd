package dev.trainyard.shared.db;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Trainyard acknowledges a point only once it is on disk. On H2 that takes {@code WRITE_DELAY=0}:
 * H2's default writes up to half a second later, and a killed process loses what it had not
 * written. So the setting is the application's, not the URL's: any other value is replaced.
 *
 * <p>{@code RETENTION_TIME=0} is a default the URL may override: H2 otherwise keeps every dead chunk
 * for 45 s, and under one commit per logged point that alone is gigabytes (see
 * {@link H2StoreMaintenance}). The retention guards against a disk that reorders writes across a
 * power loss; a killed process is safe without it, because every commit was handed to the OS first.
 */
final class H2WritePolicy {

    static final String FLAG = "WRITE_DELAY";
    static final String RETENTION = "RETENTION_TIME";
    private static final Pattern SETTING = Pattern.compile("(?i);\\s*WRITE_DELAY\\s*=[^;]*");
    private static final Pattern RETENTION_SETTING = Pattern.compile("(?i);\\s*RETENTION_TIME\\s*=");

    private H2WritePolicy() {
    }

    /** Whether the URL names an H2 database that lives in a file, where the policy matters. */
    static boolean applies(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:");
    }

    /** The URL with {@code WRITE_DELAY=0} in place of whatever it said. */
    static String enforced(String url) {
        return SETTING.matcher(url).replaceAll("") + ";" + FLAG + "=0";
    }

    /** Whether the URL already asks for the policy, and nothing else. */
    static boolean isAlreadyEnforced(String url) {
        var settings = SETTING.matcher(url);
        int count = 0;
        boolean zero = false;
        while (settings.find()) {
            count++;
            zero = settings.group().replaceAll("\\s", "").equalsIgnoreCase(";" + FLAG + "=0");
        }
        return count == 1 && zero;
    }

    /** The URL with {@code RETENTION_TIME=0} added, unless it sets a retention of its own. */
    static String withRetentionDefault(String url) {
        return RETENTION_SETTING.matcher(url).find() ? url : url + ";" + RETENTION + "=0";
    }
}

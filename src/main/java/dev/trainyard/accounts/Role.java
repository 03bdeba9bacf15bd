package dev.trainyard.accounts;

import java.util.Locale;

/** What a person may do in team mode. Each role can do everything the one before it can. */
public enum Role {
    /** Reads projects, runs, metrics and streams. */
    VIEWER,
    /** Also launches, cancels, logs and uploads. */
    MEMBER,
    /** Also manages users. */
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.trainyard.shared;

/** What a node does ({@code trainyard.role}); not to be confused with a user's role in team mode. */
public enum NodeRole {
    /** One process does everything. */
    ALL,
    /** API and dashboard; trains nothing. */
    WEB,
    /** Trains, and serves only health. */
    WORKER;

    public boolean trains() {
        return this != WEB;
    }

    public boolean serves() {
        return this != WORKER;
    }
}

package dev.trainyard.live;

/**
 * The relay listens again after losing its connection (the database went away, say). Notices sent
 * meanwhile are lost, so streams read the store again rather than wait for news that may not come.
 */
record RelayReconnected() {
}

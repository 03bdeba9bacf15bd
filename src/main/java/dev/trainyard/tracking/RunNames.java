package dev.trainyard.tracking;

import java.util.concurrent.ThreadLocalRandom;

/** Memorable generated run names, like W&B's: {@code brisk-gradient-42}. */
final class RunNames {

    private static final String[] ADJECTIVES = {"brisk", "calm", "eager", "fuzzy", "gentle", "hardy", "jolly",
            "keen", "lively", "mellow", "nimble", "quiet", "rapid", "steady", "swift", "vivid", "witty", "zesty"};
    private static final String[] NOUNS = {"cell", "epoch", "gradient", "horizon", "kernel", "lattice", "neuron",
            "orbit", "signal", "spark", "tensor", "vector", "wave", "yard", "engine", "switch", "signal", "rail"};

    private RunNames() {
    }

    static String generate() {
        var random = ThreadLocalRandom.current();
        return ADJECTIVES[random.nextInt(ADJECTIVES.length)] + "-" + NOUNS[random.nextInt(NOUNS.length)] + "-"
                + random.nextInt(1, 1000);
    }
}

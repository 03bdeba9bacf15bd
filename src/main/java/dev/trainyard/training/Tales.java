package dev.trainyard.training;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code builtin:tales}: about 48 KB of little fables, generated from word lists with a fixed seed,
 * so a character language model has something to learn on a fresh install without downloads. The
 * text is the same on every machine and in every release that keeps this class unchanged.
 */
final class Tales {

    static final int TARGET_CHARS = 48_000;
    private static final long SEED = 20_261_126L;

    private static final List<String> ANIMALS = List.of("fox", "hare", "owl", "crow", "bear", "wolf", "mouse", "cat",
            "goose", "frog", "badger", "otter", "deer", "lark", "tortoise", "squirrel");
    private static final List<String> ADJECTIVES = List.of("little", "old", "clever", "proud", "hungry", "gentle",
            "lazy", "brave", "grey", "quiet", "foolish", "wise", "quick", "tired");
    private static final List<String> PLACES = List.of("by the river", "in the deep wood", "under the old oak",
            "near the mill", "on the green hill", "at the edge of the field", "beside the pond", "in a hollow log");
    private static final List<String> TIMES = List.of("morning", "evening", "night", "spring", "winter", "day");
    private static final List<String> DEEDS = List.of("looked for berries", "sang to the moon", "counted the stars",
            "gathered nuts", "slept in the sun", "walked to the well", "watched the clouds", "dug a new den",
            "fished in the stream", "carried water home");
    private static final List<String> THINGS = List.of("a golden key", "a loaf of bread", "a shiny stone",
            "a lost bell", "a basket of apples", "a ring of silver", "a bag of seeds", "an old map");
    private static final List<String> SAYINGS = List.of("Slow and steady wins the race",
            "A friend in need is a friend indeed", "Look before you leap", "Pride comes before a fall",
            "Many hands make light work", "Honesty is the best policy", "Do not count your eggs before they hatch",
            "Little by little one goes far");

    private static volatile String text;

    private Tales() {
    }

    static String text() {
        String cached = text;
        if (cached == null) {
            cached = generate();
            text = cached;
        }
        return cached;
    }

    private static String generate() {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder out = new StringBuilder(TARGET_CHARS + 1000);
        while (out.length() < TARGET_CHARS) {
            String hero = pick(random, ANIMALS);
            String other = pick(random, ANIMALS);
            while (other.equals(hero)) {
                other = pick(random, ANIMALS);
            }
            String thing = pick(random, THINGS);
            out.append("Once upon a time a ").append(pick(random, ADJECTIVES)).append(' ').append(hero)
                    .append(" lived ").append(pick(random, PLACES)).append(". ");
            out.append("Every ").append(pick(random, TIMES)).append(" the ").append(hero).append(' ')
                    .append(pick(random, DEEDS)).append(". ");
            out.append("One day the ").append(hero).append(" found ").append(thing).append(' ')
                    .append(pick(random, PLACES)).append(". ");
            out.append("A ").append(pick(random, ADJECTIVES)).append(' ').append(other).append(" came and said, \"")
                    .append(random.nextBoolean() ? "Give me " + thing + ", and I will help you." : "That is mine!")
                    .append("\" ");
            if (random.nextBoolean()) {
                out.append("The ").append(hero).append(" shared it, and the two became friends. ");
            } else {
                out.append("The ").append(hero).append(" ran away, and the ").append(other).append(' ')
                        .append(pick(random, DEEDS)).append(" alone. ");
            }
            out.append(pick(random, SAYINGS)).append(".\n\n");
        }
        return out.toString();
    }

    private static String pick(SplittableRandom random, List<String> words) {
        return words.get(random.nextInt(words.size()));
    }
}

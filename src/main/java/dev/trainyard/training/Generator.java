package dev.trainyard.training;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Generates text from saved models on its own small executor, so that ND4J work never runs on an
 * HTTP request thread. Recently used models stay loaded.
 */
@Component
public class Generator implements DisposableBean {

    /** Longest text one call may ask for; generation costs ~0.1 ms a character. */
    static final int MAX_LENGTH = 10_000;
    private static final int CACHED_MODELS = 8;
    private static final int QUEUED_REQUESTS = 64;

    private final ThreadPoolExecutor executor;
    private final Map<ModelKey, SeedRnnModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelKey, SeedRnnModel> eldest) {
            return size() > CACHED_MODELS;
        }
    };

    /** A rewritten file has a new modification time, so it is loaded afresh. */
    private record ModelKey(Path path, long lastModified) {
    }

    public Generator() {
        AtomicInteger count = new AtomicInteger();
        // one thread: a generation takes milliseconds, and more threads would only compete with training
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_REQUESTS),
                task -> {
                    Thread thread = new Thread(task, "trainyard-generate-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Generates text from the model in {@code modelFile}, starting from the start marker.
     *
     * @param prime       text the model is fed first, returned as the start of the result; may be null.
     *                    Only text characters of the alphabet (not the markers '0' and '1').
     * @param length      the most characters to return, prime included (null: the sentence length, 48);
     *                    generation also stops at the end marker
     * @param temperature null or 0: greedy; greater than 0: sample from softmax(output / temperature)
     * @return completes with the text, or exceptionally with {@link IllegalArgumentException} for bad
     *         arguments, {@link java.nio.file.NoSuchFileException} for a missing model, another
     *         {@link IOException} for an unreadable one, or {@link RejectedExecutionException} when
     *         too many requests are queued
     */
    public CompletableFuture<String> generate(Path modelFile, String prime, Integer length, Double temperature) {
        int[] primed;
        int limit;
        double heat;
        try {
            Objects.requireNonNull(modelFile, "modelFile");
            primed = encode(prime == null ? "" : prime);
            limit = length == null ? Math.max(SeedSentence.TEXT.length(), primed.length) : length;
            if (limit < primed.length || limit > MAX_LENGTH) {
                throw new IllegalArgumentException("length must be between the prime's length (" + primed.length
                        + ") and " + MAX_LENGTH + ", was " + length);
            }
            heat = temperature == null ? 0 : temperature;
            if (!(heat >= 0) || Double.isInfinite(heat)) {
                throw new IllegalArgumentException("temperature must be 0 or more, was " + temperature);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return CompletableFuture.supplyAsync(() -> model(modelFile).generate(primed, limit, chooser(heat)), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static int[] encode(String prime) {
        int[] symbols = new int[prime.length()];
        for (int i = 0; i < prime.length(); i++) {
            symbols[i] = SeedSentence.textSymbol(prime.charAt(i));
            if (symbols[i] < 0) {
                throw new IllegalArgumentException("prime has '" + prime.charAt(i) + "' at index " + i
                        + ", which is not in the model's alphabet \"" + SeedSentence.ALPHABET.substring(0, SeedSentence.START)
                        + "\" (lower case letters, space and ?!.,:;)");
            }
        }
        return symbols;
    }

    private SeedRnnModel model(Path modelFile) {
        try {
            Path path = modelFile.toAbsolutePath().normalize();
            ModelKey key = new ModelKey(path, Files.getLastModifiedTime(path).toMillis());
            synchronized (models) {
                SeedRnnModel cached = models.get(key);
                if (cached != null) {
                    return cached;
                }
            }
            SeedRnnModel loaded;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                loaded = SeedRnnModel.read(in);
            }
            synchronized (models) {
                models.put(key, loaded);
            }
            return loaded;
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static SeedRnnModel.Chooser chooser(double temperature) {
        return temperature == 0 ? Generator::argmax : output -> sample(output, temperature);
    }

    /** The start marker is never a next symbol, so it is left out of both choices. */
    private static int argmax(float[] output) {
        int best = -1;
        for (int k = 0; k < output.length; k++) {
            if (k != SeedSentence.START && (best < 0 || output[k] > output[best])) {
                best = k;
            }
        }
        return best;
    }

    private static int sample(float[] output, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < output.length; k++) {
            if (k != SeedSentence.START) {
                max = Math.max(max, output[k] / temperature);
            }
        }
        double[] weights = new double[output.length];
        double total = 0;
        for (int k = 0; k < output.length; k++) {
            weights[k] = k == SeedSentence.START ? 0 : Math.exp(output[k] / temperature - max);
            total += weights[k];
        }
        double r = ThreadLocalRandom.current().nextDouble(total);
        for (int k = 0; k < output.length; k++) {
            r -= weights[k];
            if (r < 0 && weights[k] > 0) {
                return k;
            }
        }
        return argmax(output); // rounding left r at ~0: the likeliest symbol is a fair answer
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}

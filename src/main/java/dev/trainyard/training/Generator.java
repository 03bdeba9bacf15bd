package dev.trainyard.training;

import java.io.IOException;
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

    /** Longest text one call may ask for; generation costs ~0.03-0.1 ms a character at default sizes. */
    static final int MAX_LENGTH = 10_000;
    private static final int CACHED_MODELS = 8;
    private static final int QUEUED_REQUESTS = 64;

    private final ThreadPoolExecutor executor;
    private final Map<ModelKey, TextModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelKey, TextModel> eldest) {
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
        // now, on a thread at normal priority: one started by a training thread would inherit its nice value
        executor.prestartAllCoreThreads();
    }

    /**
     * Generates text from the model in {@code modelFile}: any model a {@link Trainer} saved
     * (seed-rnn, rnn, gru or lstm; the file says which).
     *
     * @param prime       text the model is fed first, returned as the start of the result; may be null.
     *                    Only characters of the model's vocabulary (for seed-rnn, of its alphabet
     *                    without the markers '0' and '1'). Models trained on one text (seed-sentence,
     *                    memorize:N) start from their start marker; models of a corpus start from the
     *                    prime, or without one from the corpus's first character.
     * @param length      the most characters to return, prime included (null: the trained text's
     *                    length, or 200 for a corpus model); generation also stops at the end marker
     * @param temperature null or 0: greedy; greater than 0: sample from softmax(output / temperature)
     * @return completes with the text, or exceptionally with {@link IllegalArgumentException} for bad
     *         arguments (a prime outside the vocabulary among them), {@link java.nio.file.NoSuchFileException}
     *         for a missing model, another {@link IOException} for an unreadable one, or
     *         {@link RejectedExecutionException} when too many requests are queued
     */
    public CompletableFuture<String> generate(Path modelFile, String prime, Integer length, Double temperature) {
        double heat;
        try {
            Objects.requireNonNull(modelFile, "modelFile");
            if (length != null && (length < 0 || length > MAX_LENGTH)) {
                throw new IllegalArgumentException("length must be between the prime's length and " + MAX_LENGTH
                        + ", was " + length);
            }
            heat = temperature == null ? 0 : temperature;
            if (!(heat >= 0) || Double.isInfinite(heat)) {
                throw new IllegalArgumentException("temperature must be 0 or more, was " + temperature);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        Chooser.Factory choosers = excluded -> Chooser.of(heat, excluded, ThreadLocalRandom.current());
        try {
            return CompletableFuture.supplyAsync(() -> {
                NativeThreads.limitOpenMp(1); // one-step ops: a team of threads would only spin
                return model(modelFile).generate(prime, length, choosers);
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private TextModel model(Path modelFile) {
        try {
            Path path = modelFile.toAbsolutePath().normalize();
            ModelKey key = new ModelKey(path, Files.getLastModifiedTime(path).toMillis());
            synchronized (models) {
                TextModel cached = models.get(key);
                if (cached != null) {
                    return cached;
                }
            }
            TextModel loaded = ModelFile.read(path);
            synchronized (models) {
                models.put(key, loaded);
            }
            return loaded;
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}

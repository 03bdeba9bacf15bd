package dev.trainyard.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Predicts with trained dl4j models, and checks submitted networks, on its own one-thread executor so that
 * DL4J never runs on an HTTP request thread. Recently used models stay loaded.
 */
@Component
public class Predictor implements DisposableBean {

    /** The most rows one call may predict. */
    public static final int MAX_ROWS = 10_000;
    private static final int CACHED_MODELS = 8;
    private static final int QUEUED_REQUESTS = 64;

    /** One row's prediction: a class with the probability of every class, or the targets' values. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prediction(String label, Integer index, Map<String, Double> probabilities, Map<String, Double> values) {
    }

    /** @param features the columns each row gives, in order */
    public record Predictions(String task, List<String> features, List<Prediction> predictions) {
    }

    private record Loaded(TabularModel meta, Model net, DataNormalization normalizer) {
    }

    private record ModelKey(Path path, long lastModified) {
    }

    private final ThreadPoolExecutor executor;
    private final Map<ModelKey, Loaded> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelKey, Loaded> eldest) {
            return size() > CACHED_MODELS;
        }
    };

    public Predictor() {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_REQUESTS), task -> {
            Thread thread = new Thread(task, "trainyard-predict-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.prestartAllCoreThreads();
    }

    /**
     * @return completes with the predictions, or exceptionally with {@link IllegalArgumentException} for rows of the
     *         wrong width or too many, or an {@link IOException} when the file is not a dl4j model
     */
    public CompletableFuture<Predictions> predict(Path modelFile, List<List<Double>> rows) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                NativeThreads.limitOpenMp(1);
                Loaded model = load(modelFile);
                return predict(model, rows);
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The same for a CSV: with a header its columns are matched to the model's features by name (others, such as
     * the label, are left out), without one each row holds the features in order.
     */
    public CompletableFuture<Predictions> predictCsv(Path modelFile, byte[] csv) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                NativeThreads.limitOpenMp(1);
                Loaded model = load(modelFile);
                return predict(model, TabularCsv.featureRows(csv, model.meta().features()));
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Predictions predict(Loaded model, List<List<Double>> rows) {
        TabularModel meta = model.meta();
        int width = meta.features().size();
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("send rows: [[" + String.join(", ", meta.features()) + "], ...]");
        }
        if (rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException("at most " + MAX_ROWS + " rows a call, not " + rows.size());
        }
        float[][] values = new float[rows.size()][width];
        for (int r = 0; r < rows.size(); r++) {
            List<Double> row = rows.get(r);
            if (row == null || row.size() != width) {
                throw new IllegalArgumentException("row " + (r + 1) + " has " + (row == null ? 0 : row.size()) + " values; the model "
                        + "takes " + width + ": " + meta.features());
            }
            for (int c = 0; c < width; c++) {
                Double v = row.get(c);
                if (v == null || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("row " + (r + 1) + ", column " + (c + 1) + " (" + meta.features().get(c)
                            + ") must be a number");
                }
                values[r][c] = v.floatValue();
            }
        }
        INDArray features = Nd4j.create(values).castTo(DataType.FLOAT);
        if (model.normalizer() != null) {
            model.normalizer().transform(features);
        }
        INDArray output = Dl4jNetwork.output(model.net(), features);
        var predictions = new ArrayList<Prediction>();
        if (meta.classification()) {
            for (int r = 0; r < rows.size(); r++) {
                var probabilities = new LinkedHashMap<String, Double>();
                int best = 0;
                for (int k = 0; k < meta.classes().size(); k++) {
                    probabilities.put(meta.classes().get(k), output.getDouble(r, k));
                    if (output.getDouble(r, k) > output.getDouble(r, best)) {
                        best = k;
                    }
                }
                predictions.add(new Prediction(meta.classes().get(best), best, probabilities, null));
            }
        } else {
            if (model.normalizer() != null) {
                model.normalizer().revertLabels(output);
            }
            for (int r = 0; r < rows.size(); r++) {
                var targets = new LinkedHashMap<String, Double>();
                for (int k = 0; k < meta.labels().size(); k++) {
                    targets.put(meta.labels().get(k), output.getDouble(r, k));
                }
                predictions.add(new Prediction(null, null, null, targets));
            }
        }
        return new Predictions(meta.task(), meta.features(), predictions);
    }

    private Loaded load(Path modelFile) {
        try {
            Path path = modelFile.toAbsolutePath().normalize();
            ModelKey key = new ModelKey(path, Files.getLastModifiedTime(path).toMillis());
            synchronized (models) {
                Loaded cached = models.get(key);
                if (cached != null) {
                    return cached;
                }
            }
            TabularModel meta = TabularModel.meta(path);
            if (meta == null) {
                throw new IOException("this run's model is not a dl4j model: predict is for dl4j jobs (text models generate)");
            }
            Loaded loaded;
            if (meta.graph()) {
                ComputationGraph net = ModelSerializer.restoreComputationGraph(path.toFile(), false);
                loaded = new Loaded(meta, net, ModelSerializer.restoreNormalizerFromFile(path.toFile()));
            } else {
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(path.toFile(), false);
                loaded = new Loaded(meta, net, ModelSerializer.restoreNormalizerFromFile(path.toFile()));
            }
            synchronized (models) {
                models.put(key, loaded);
            }
            return loaded;
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** Runs DL4J work of a request (checking a submitted network) here, waiting at most {@code seconds}. */
    <T> T call(Callable<T> work, int seconds) {
        Future<T> future;
        try {
            future = executor.submit(() -> {
                NativeThreads.limitOpenMp(1);
                try {
                    return work.call();
                } finally {
                    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new TrainingException("the server is busy checking other networks; try again shortly", e);
        }
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new TrainingException(Dl4jNetwork.deepest(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TrainingException("checking the network took longer than " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingException("interrupted while checking the network", e);
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

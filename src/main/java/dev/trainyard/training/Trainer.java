package dev.trainyard.training;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Component;

/** Trains the models a {@link JobSpec} names. Holds no state: each call builds its own network. */
@Component
public class Trainer {

    /**
     * The seed cell's ops are at most [1, H] x [H, H] per step, too small to split. Measured on 2 cores
     * (ms/epoch, 1 vs 2 threads): hidden 35: 0.35-0.5 vs 0.6-0.9; 512: 4.7 vs 5.5-6.6; 1024: 51 vs 118;
     * and when other work shares the CPU, OpenMP's spin-waits made 2 threads up to 40x slower.
     */
    private static final int SEED_RNN_THREADS = 1;

    /**
     * Trains on the caller's thread, calling {@code listener} after each epoch and checking
     * {@code stopRequested} before each one. On success the model is written to {@code modelFile}
     * (through a temporary file and an atomic move, so readers never see half a model); a stopped job
     * saves nothing.
     *
     * @param threads the most ND4J and BLAS threads this job may use (seed-rnn uses one). ND4J keeps
     *                the setting process-wide, so concurrent jobs should pass the same value.
     * @throws TrainingException when the spec is unsupported, ND4J fails, or the model cannot be saved
     */
    public TrainingResult train(JobSpec spec, Path modelFile, EpochListener listener, BooleanSupplier stopRequested,
            int threads) {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(stopRequested, "stopRequested");
        JobSpec job = checked(Objects.requireNonNull(spec, "spec").withDefaults());
        if (threads < 1) {
            throw new TrainingException("threads must be at least 1, was " + threads);
        }
        try {
            useThreads(Math.min(threads, SEED_RNN_THREADS));
            return run(job, modelFile, listener, stopRequested);
        } finally {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    private TrainingResult run(JobSpec job, Path modelFile, EpochListener listener, BooleanSupplier stopRequested) {
        int epochs = job.epochs();
        SeedRnnTraining training;
        try {
            SeedRnnModel model = SeedRnnModel.initialise(SeedSentence.SYMBOLS, job.hidden(), job.seed(), DataType.FLOAT);
            training = new SeedRnnTraining(model, job.learningRate());
        } catch (RuntimeException e) {
            throw new TrainingException("could not build the " + job.model() + " network: " + e.getMessage(), e);
        }
        try (training) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopRequested.getAsBoolean()) {
                    return new TrainingResult(epoch - 1, true);
                }
                long start = System.nanoTime();
                SeedRnnTraining.Step step;
                try {
                    step = training.fitOnce();
                } catch (RuntimeException e) {
                    throw new TrainingException("ND4J failed in epoch " + epoch + ": " + e.getMessage(), e);
                }
                double millis = (System.nanoTime() - start) / 1e6;
                // outside the try: a listener's own exception reaches the caller unwrapped
                listener.onEpoch(new EpochMetrics(epoch, epochs, step.loss(), step.accuracy(), millis));
            }
            save(training.model(), modelFile);
            return new TrainingResult(epochs, false);
        }
    }

    private static JobSpec checked(JobSpec job) {
        require(JobSpec.SEED_RNN.equals(job.model()), "unsupported model '" + job.model() + "', expected seed-rnn");
        require(JobSpec.SEED_SENTENCE.equals(job.dataset()),
                "unsupported dataset '" + job.dataset() + "', expected seed-sentence");
        require("adam".equals(job.optimizer()), "unsupported optimizer '" + job.optimizer() + "', expected adam");
        require("mse".equals(job.loss()), "unsupported loss '" + job.loss() + "', expected mse");
        require(job.epochs() >= 1, "epochs must be at least 1, was " + job.epochs());
        require(job.hidden() >= 1 && job.hidden() <= 1024, "hidden must be 1 to 1024, was " + job.hidden());
        double rate = job.learningRate();
        require(rate > 0 && rate <= 10, "learningRate must be in (0, 10], was " + rate);
        require(job.seed() >= 0, "seed must not be negative, was " + job.seed());
        return job;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new TrainingException(message);
        }
    }

    private static void useThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    private static void save(SeedRnnModel model, Path modelFile) {
        Path target = modelFile.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                model.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new TrainingException("could not save the model to " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the save already failed; that error is the one to report
            }
        }
    }
}

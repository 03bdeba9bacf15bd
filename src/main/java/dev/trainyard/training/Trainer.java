package dev.trainyard.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
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
     * Char-LM ops are per-step matmuls of [batch, hidden] by [hidden, gates × hidden]. Measured on the
     * 2 shared cores here (ms/epoch, 1 vs 2 threads, 100-char chunks): batch 64, hidden 256: GRU 286
     * vs 577-601, LSTM 271-276 vs 783-2904, RNN 79-82 vs 338-446; batch 8, hidden 512: GRU 180-189 vs
     * 188-206. OpenMP's spin-waits lose to other work on the cores, as for the seed cell.
     */
    private static final int CHAR_LM_THREADS = 1;
    /** The chunk sampler's stream, apart from the initial weights'. */
    private static final long BATCH_STREAM = 0x62617463686573L;
    /** The held-out sequences a recall task is tested on, apart from the ones it trains on. */
    private static final long TEST_STREAM = 0x74657374L;
    /** Fresh batches a recall task's {@code test_accuracy} is measured on. */
    private static final int TEST_BATCHES = 4;
    /** About how many times a job logs its hidden-state gradient norms. */
    private static final int GRADIENT_LOGS = 50;
    private static final Set<String> OPTIMIZERS = Set.of("adam", "sgd", "rmsprop");

    private final Supplier<UploadedTexts> uploads;

    /** Without uploaded datasets: {@code dataset:<id>} jobs fail as unknown. */
    public Trainer() {
        this(() -> null);
    }

    /** @param uploads the datasets feature's texts, when that feature is present */
    @Autowired
    public Trainer(ObjectProvider<UploadedTexts> uploads) {
        this(uploads::getIfAvailable);
    }

    Trainer(Supplier<UploadedTexts> uploads) {
        this.uploads = Objects.requireNonNull(uploads, "uploads");
    }

    /**
     * Trains on the caller's thread, calling {@code listener} after each epoch (and
     * {@link EpochListener#onSample} every {@code sampleEvery} epochs and after the last) and checking
     * {@code stopRequested} before each one. On success the model is written to {@code modelFile}
     * (through a temporary file and an atomic move, so readers never see half a model); a stopped job
     * saves nothing.
     *
     * @param threads the most ND4J, BLAS and OpenMP threads this job may use (all models currently use
     *                one: see the measurements on the constants). ND4J and BLAS keep the setting
     *                process-wide, so concurrent jobs should pass the same value.
     * @throws TrainingException when the spec is unsupported, the dataset is unknown, ND4J fails, or the
     *                           model cannot be saved
     */
    public TrainingResult train(JobSpec spec, Path modelFile, EpochListener listener, BooleanSupplier stopRequested,
            int threads) {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(stopRequested, "stopRequested");
        if (threads < 1) {
            throw new TrainingException("threads must be at least 1, was " + threads);
        }
        if (JobSpec.DL4J.equals(Objects.requireNonNull(spec, "spec").model())) {
            JobSpec job = spec.withDefaults();
            try {
                useThreads(threads);
                return TabularTrainer.train(job, TabularSource.resolve(job, uploads.get()), modelFile, listener, stopRequested);
            } catch (OutOfMemoryError e) {
                throw OffHeap.exhausted(e);
            } finally {
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            }
        }
        JobSpec job = checked(spec.withDefaults());
        try {
            RecallTask recall = RecallTask.of(job.dataset());
            if (recall != null) {
                require(!JobSpec.SEED_RNN.equals(job.model()), "seed-rnn trains on seed-sentence or memorize:<length>, not "
                        + job.dataset());
                return recall(job, recall, modelFile, listener, stopRequested, threads);
            }
            TrainingText text = TrainingText.resolve(job.dataset(), job.seed(), uploads.get());
            if (JobSpec.SEED_RNN.equals(job.model())) {
                useThreads(Math.min(threads, SEED_RNN_THREADS));
                return seedRnn(job, text, modelFile, listener, stopRequested);
            }
            return charLm(job, text, modelFile, listener, stopRequested, threads);
        } catch (OutOfMemoryError e) {
            // JavaCPP's limit, or the heap's: by now this job's arrays are closed, and the job fails alone
            throw OffHeap.exhausted(e);
        } finally {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    private TrainingResult seedRnn(JobSpec job, TrainingText text, Path modelFile, EpochListener listener,
            BooleanSupplier stopRequested) {
        require(text.singleTarget(), "seed-rnn trains on seed-sentence or memorize:<length>, not " + job.dataset());
        require("mse".equals(job.loss()), "seed-rnn trains with the tutorial's mse loss, not " + job.loss());
        String target = text.text();
        int[] symbols = new int[target.length() + 2];
        symbols[0] = SeedSentence.START;
        for (int i = 0; i < target.length(); i++) {
            symbols[i + 1] = SeedSentence.textSymbol(target.charAt(i));
            require(symbols[i + 1] >= 0, "seed-rnn's alphabet has no '" + target.charAt(i) + "'");
        }
        symbols[symbols.length - 1] = SeedSentence.END;
        SeedRnnTraining training;
        SeedRnnModel model;
        try {
            model = SeedRnnModel.initialise(SeedSentence.SYMBOLS, job.hidden(), target.length(), job.seed(), DataType.FLOAT);
            training = new SeedRnnTraining(model, symbols, job.optimizer(), job.learningRate(), job.clipGradient(),
                    distances(symbols.length - 1));
        } catch (RuntimeException e) {
            throw new TrainingException("could not build the " + job.model() + " network: " + e.getMessage(), e);
        }
        try (training) {
            Chooser greedy = Chooser.greedy(SeedSentence.START);
            int epochs = job.steps();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopRequested.getAsBoolean()) {
                    return new TrainingResult(epoch - 1, true);
                }
                long start = System.nanoTime();
                SeedRnnTraining.Step step;
                try {
                    step = training.fitOnce(gradientsDue(epoch, epochs));
                } catch (RuntimeException e) {
                    throw nd4jFailed(epoch, e);
                }
                double millis = (System.nanoTime() - start) / 1e6;
                // outside the try: a listener's own exception reaches the caller unwrapped
                listener.onEpoch(new EpochMetrics(epoch, epochs, step.loss(), step.accuracy(), millis,
                        step.hiddenGradientNorms() == null ? Map.of()
                                : gradientNorms(training.distances(), step.hiddenGradientNorms())));
                if (sampleDue(epoch, job)) {
                    String sample = model.generate(new int[0], target.length(), greedy);
                    listener.onSample(epoch, sample, sample.equals(target));
                }
            }
            ModelFile.save(modelFile, JobSpec.SEED_RNN, model::write);
            return new TrainingResult(epochs, false);
        }
    }

    private TrainingResult charLm(JobSpec job, TrainingText text, Path modelFile, EpochListener listener,
            BooleanSupplier stopRequested, int threads) {
        require("xent".equals(job.loss()) || "mse".equals(job.loss()), "unsupported loss '" + job.loss() + "'");
        CellType cell = CellType.of(job.model());
        boolean single = text.singleTarget();
        Vocabulary vocabulary = Vocabulary.of(text.text(), single);
        int[] symbols;
        int steps;
        int batch;
        if (single) {
            // the whole text, from the start marker to the end marker, one sequence
            int[] body = vocabulary.encode(text.text());
            symbols = new int[body.length + 2];
            symbols[0] = vocabulary.start();
            System.arraycopy(body, 0, symbols, 1, body.length);
            symbols[symbols.length - 1] = vocabulary.end();
            steps = symbols.length - 1;
            batch = 1;
        } else {
            symbols = vocabulary.encode(text.text());
            steps = Math.min(job.sequenceLength(), symbols.length - 1);
            batch = job.batchSize();
        }
        String tooLarge = JobSize.of(job, text).memoryRefusal();
        require(tooLarge == null, tooLarge);
        int targetLength = single ? text.text().codePointCount(0, text.text().length()) : CharLmModel.CORPUS_SAMPLE_LENGTH;
        useThreads(Math.min(threads, CHAR_LM_THREADS));

        int[] distances = distances(steps);
        try (CharLmNetwork network = CharLmNetwork.build(job, cell, vocabulary, single ? 0 : symbols[0], targetLength, steps,
                batch, distances)) {
            CharLmModel model = network.model();
            CharLmTraining training = network.training();
            Optimizer optimizer = network.optimizer();
            CharLmStepper sampler = network.sampler();
            int[] inputs = new int[steps * batch];
            int[] targets = new int[steps * batch];
            SplittableRandom chunks = new SplittableRandom(job.seed() ^ BATCH_STREAM);
            if (single) {
                fill(symbols, 0, 0, steps, 1, inputs, targets);
                training.setBatch(inputs, targets);
            }
            Chooser greedy = Chooser.greedy(vocabulary.start());
            int epochs = job.steps();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopRequested.getAsBoolean()) {
                    return new TrainingResult(epoch - 1, true);
                }
                long start = System.nanoTime();
                CharLmTraining.Step step;
                try {
                    if (!single) {
                        // a random chunk per sequence per epoch, as torch_reference.py charlm does
                        for (int b = 0; b < batch; b++) {
                            fill(symbols, chunks.nextInt(symbols.length - steps), b, steps, batch, inputs, targets);
                        }
                        training.setBatch(inputs, targets);
                    }
                    step = training.computeGradient();
                    optimizer.step();
                } catch (RuntimeException e) {
                    throw nd4jFailed(epoch, e);
                }
                double millis = (System.nanoTime() - start) / 1e6;
                listener.onEpoch(new EpochMetrics(epoch, epochs, step.loss(), step.accuracy(), millis,
                        gradientsDue(epoch, epochs) ? gradientNorms(training) : Map.of()));
                if (sampleDue(epoch, job)) {
                    String sample = model.generate(sampler, new int[0], targetLength, greedy);
                    listener.onSample(epoch, sample, single ? sample.equals(text.text()) : null);
                }
            }
            ModelFile.save(modelFile, cell.id, model::write);
            return new TrainingResult(epochs, false);
        }
    }

    /**
     * Delayed recall (see {@link RecallTask}): each epoch is one optimizer step on {@code batchSize}
     * fresh sequences, scored on their recall steps only. Every {@code sampleEvery} epochs and after the
     * last, {@code test_accuracy} is measured on {@value #TEST_BATCHES} batches from a stream training
     * never draws from, and the sample is one of them with what the model recalled.
     */
    private TrainingResult recall(JobSpec job, RecallTask task, Path modelFile, EpochListener listener,
            BooleanSupplier stopRequested, int threads) {
        require("xent".equals(job.loss()) || "mse".equals(job.loss()), "unsupported loss '" + job.loss() + "'");
        CellType cell = CellType.of(job.model());
        Vocabulary vocabulary = task.vocabulary();
        String tooLarge = JobSize.of(job, task).memoryRefusal();
        require(tooLarge == null, tooLarge);
        int steps = task.steps();
        int batch = job.batchSize();
        int blank = vocabulary.symbol(RecallTask.BLANK);
        useThreads(Math.min(threads, CHAR_LM_THREADS));
        int[] distances = distances(steps);
        try (CharLmNetwork network = CharLmNetwork.build(job, cell, vocabulary, blank, steps, steps, batch, distances)) {
            CharLmModel model = network.model();
            CharLmTraining training = network.training();
            Optimizer optimizer = network.optimizer();
            SplittableRandom sequences = new SplittableRandom(job.seed() ^ BATCH_STREAM);
            int epochs = job.steps();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopRequested.getAsBoolean()) {
                    return new TrainingResult(epoch - 1, true);
                }
                long start = System.nanoTime();
                CharLmTraining.Step step;
                var extra = new LinkedHashMap<String, Double>();
                String sample = null;
                try {
                    RecallTask.Batch next = task.sample(sequences, batch);
                    training.setBatch(next.inputs(), next.targets(), next.scored());
                    step = training.computeGradient();
                    if (gradientsDue(epoch, epochs)) {
                        extra.putAll(gradientNorms(training));
                    }
                    optimizer.step();
                    if (sampleDue(epoch, job)) {
                        // the same held-out batches each time, so the curve moves only with the model
                        SplittableRandom held = new SplittableRandom(job.seed() ^ TEST_STREAM);
                        double correct = 0;
                        for (int i = 0; i < TEST_BATCHES; i++) {
                            RecallTask.Batch test = task.sample(held, batch);
                            training.setBatch(test.inputs(), test.targets(), test.scored());
                            correct += training.evaluate().accuracy();
                            if (i == 0) {
                                sample = recalled(task, test, training.predictions(), batch);
                            }
                        }
                        extra.put("test_accuracy", correct / TEST_BATCHES);
                    }
                } catch (RuntimeException e) {
                    throw nd4jFailed(epoch, e);
                }
                double millis = (System.nanoTime() - start) / 1e6;
                listener.onEpoch(new EpochMetrics(epoch, epochs, step.loss(), step.accuracy(), millis, extra));
                if (sample != null) {
                    listener.onSample(epoch, sample, null);
                }
            }
            ModelFile.save(modelFile, cell.id, model::write);
            return new TrainingResult(epochs, false);
        }
    }

    /** Sequence 0 of a test batch up to its marker, and what the model answered at the recall steps. */
    private static String recalled(RecallTask task, RecallTask.Batch test, int[] predicted, int batch) {
        String input = task.render(test.inputs(), batch, 0).substring(0, task.delay() + 1);
        StringBuilder answer = new StringBuilder();
        for (int j = 0; j < RecallTask.RECALLED; j++) {
            answer.appendCodePoint(task.vocabulary().codePoint(predicted[(task.delay() + j) * batch]));
        }
        return input + " → " + answer;
    }

    /** Powers of two below {@code steps}: the distances k whose hidden-state gradient norm is logged. */
    static int[] distances(int steps) {
        var list = new ArrayList<Integer>();
        for (int k = 1; k < steps; k *= 2) {
            list.add(k);
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Epoch 1, the last, and about {@value #GRADIENT_LOGS} between them. */
    private static boolean gradientsDue(int epoch, int epochs) {
        return epoch == 1 || epoch == epochs || epoch % Math.max(1, epochs / GRADIENT_LOGS) == 0;
    }

    private static Map<String, Double> gradientNorms(CharLmTraining training) {
        return gradientNorms(training.distances(), training.hiddenGradientNorms());
    }

    private static Map<String, Double> gradientNorms(int[] distances, double[] norms) {
        var metrics = new LinkedHashMap<String, Double>();
        for (int i = 0; i < distances.length; i++) {
            metrics.put("grad_norm/k=" + distances[i], norms[i]);
        }
        return metrics;
    }

    /** Sequence b of a time-major batch: symbols [start, start + steps) and the ones after them. */
    private static void fill(int[] symbols, int start, int b, int steps, int batch, int[] inputs, int[] targets) {
        for (int t = 0; t < steps; t++) {
            inputs[t * batch + b] = symbols[start + t];
            targets[t * batch + b] = symbols[start + t + 1];
        }
    }

    private static boolean sampleDue(int epoch, JobSpec job) {
        return epoch % job.sampleEvery() == 0 || epoch == job.steps();
    }

    private static TrainingException nd4jFailed(int epoch, RuntimeException e) {
        return new TrainingException("ND4J failed in step " + epoch + ": " + e.getMessage(), e);
    }

    private static JobSpec checked(JobSpec job) {
        require(Set.of(JobSpec.SEED_RNN, "rnn", "gru", "lstm").contains(job.model()),
                "unsupported model '" + job.model() + "', expected seed-rnn, rnn, gru or lstm");
        require(job.dataset() != null, "dataset is required");
        require(OPTIMIZERS.contains(job.optimizer()),
                "unsupported optimizer '" + job.optimizer() + "', expected adam, sgd or rmsprop");
        require("mse".equals(job.loss()) || "xent".equals(job.loss()), "unsupported loss '" + job.loss() + "'");
        require(job.steps() >= 1 && job.steps() <= 100_000, "steps must be 1 to 100000, was " + job.steps());
        require(job.hidden() >= 1 && job.hidden() <= 1024, "hidden must be 1 to 1024, was " + job.hidden());
        double rate = job.learningRate();
        require(rate > 0 && rate <= 10, "learningRate must be in (0, 10], was " + rate);
        require(job.seed() >= 0, "seed must not be negative, was " + job.seed());
        require(job.sampleEvery() >= 1, "sampleEvery must be at least 1, was " + job.sampleEvery());
        Double clip = job.clipGradient();
        require(clip == null || (clip > 0 && clip <= 1000), "clipGradient must be in (0, 1000], was " + clip);
        if (!JobSpec.SEED_RNN.equals(job.model())) {
            require(job.layers() >= 1 && job.layers() <= 4, "layers must be 1 to 4, was " + job.layers());
            require(job.embedding() >= 1 && job.embedding() <= 512, "embedding must be 1 to 512, was " + job.embedding());
            require(job.sequenceLength() >= 2 && job.sequenceLength() <= 10_000,
                    "sequenceLength must be 2 to 10000, was " + job.sequenceLength());
            require(job.batchSize() >= 1 && job.batchSize() <= 1024, "batchSize must be 1 to 1024, was " + job.batchSize());
        }
        return job;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new TrainingException(message);
        }
    }

    private static void useThreads(int threads) {
        NativeThreads.limit(threads);
    }
}

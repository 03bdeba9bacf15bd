package dev.trainyard.training;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;

/**
 * What a training job asks for. Every numeric field has a documented range, enforced by Bean
 * Validation at the API edge, so nobody can book the machine with hidden = 10^9. Absent fields take
 * the model's defaults through {@link #withDefaults()}.
 *
 * <p>{@code steps} was called {@code epochs} until issue #13, but it never counted passes over a corpus:
 * it counts optimizer steps. JSON still accepts {@code epochs} (job specs stored before the rename, and
 * clients that send it); it is written back as {@code steps}.
 *
 * @param model          {@code seed-rnn} (the seed tutorial's hand-built cell), {@code rnn}, {@code gru} or
 *                       {@code lstm} (character language models with an embedding)
 * @param dataset        {@code seed-sentence}, {@code memorize:<length>} (length 1 to 4096),
 *                       {@code recall:<delay>} (delayed recall, delay 3 to 4096: see {@link RecallTask}),
 *                       {@code builtin:<name>} or {@code dataset:<id>} of an upload
 * @param steps          optimizer steps, 1 to 100,000. One step is one forward and backward pass over one
 *                       batch: on {@code seed-sentence} and {@code memorize:N} the whole text (so seed-rnn's
 *                       default 1000 is the tutorial's 1000 passes over the sentence), on {@code recall:N} a
 *                       batch of freshly drawn sequences, on a corpus one random chunk per sequence of the
 *                       batch. Alias: {@code epochs}
 * @param hidden         hidden units per layer, 1 to 1024
 * @param layers         recurrent layers, 1 to 4 (not for seed-rnn)
 * @param embedding      embedding width, 1 to 512 (not for seed-rnn)
 * @param learningRate   greater than 0, at most 10
 * @param optimizer      {@code adam}, {@code sgd} or {@code rmsprop}
 * @param loss           {@code mse} or {@code xent}
 * @param sequenceLength characters per training sequence, 2 to 10,000
 * @param batchSize      sequences per step, 1 to 1024
 * @param seed           random seed, 0 to 2^53; the same seed gives the same loss curve
 * @param clipGradient   gradient norm clipping threshold, greater than 0, at most 1000
 * @param sampleEvery    store a generated sample every this many steps, 1 to 100,000
 * @param network        dl4j only: the network as DL4J's own JSON ({@code MultiLayerConfiguration.toJson()} or
 *                       {@code ComputationGraphConfiguration.toJson()}), sent as a JSON object or a string
 * @param networkFile    dl4j only: instead of {@code network}, the id of an upload holding that JSON
 * @param label          dl4j only: the label column; for regression one or more columns, comma-separated
 * @param task           dl4j only: {@code classification} (label = class index or string) or {@code regression}
 * @param epochs         dl4j only: passes over the train split, 1 to 10,000. For every other model {@code epochs} is
 *                       the old name of {@code steps}; a dl4j job trains whole epochs and takes no {@code steps}
 * @param validationFraction dl4j only: the share of rows held out for validation, seeded, in (0, 0.9]
 * @param normalizer     dl4j only: {@code standardize}, {@code minmax} or {@code none}, fitted on the train split
 * @param earlyStopping  dl4j only: the validation metric to stop on ({@code val_loss}, {@code val_accuracy}, ...);
 *                       the best epoch's model is the one saved
 * @param patience       dl4j only: epochs without improvement before stopping, 1 to 1000
 */
public record JobSpec(
        @Pattern(regexp = "seed-rnn|rnn|gru|lstm|dl4j", message = "must be one of: seed-rnn, rnn, gru, lstm, dl4j") String model,
        @Pattern(regexp = "seed-sentence|memorize:[0-9]{1,9}|recall:[0-9]{1,9}|builtin:[a-z0-9-]{1,64}|dataset:[a-z0-9]{1,32}",
                message = "must be seed-sentence, memorize:<length>, recall:<delay>, builtin:<name> or dataset:<id>")
        String dataset,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Min(1) @Max(MAX_STEPS) Integer steps,
        @Min(1) @Max(1024) Integer hidden,
        @Min(1) @Max(4) Integer layers,
        @Min(1) @Max(512) Integer embedding,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double learningRate,
        @Pattern(regexp = "adam|sgd|rmsprop", message = "must be one of: adam, sgd, rmsprop") String optimizer,
        @Pattern(regexp = "mse|xent", message = "must be one of: mse, xent") String loss,
        @Min(2) @Max(10_000) Integer sequenceLength,
        @Min(1) @Max(1024) Integer batchSize,
        @Min(0) @Max(9_007_199_254_740_992L) Long seed,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double clipGradient,
        @Min(1) @Max(100_000) Integer sampleEvery,
        @JsonInclude(JsonInclude.Include.NON_NULL) String network,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Pattern(regexp = "[a-z0-9]{1,32}", message = "must be an upload's id")
        String networkFile,
        @JsonInclude(JsonInclude.Include.NON_NULL) @jakarta.validation.constraints.Size(max = 2000) String label,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Pattern(regexp = "classification|regression", message = "must be one of: classification, regression") String task,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Min(1) @Max(MAX_EPOCHS) Integer epochs,
        @JsonInclude(JsonInclude.Include.NON_NULL) @DecimalMin(value = "0", inclusive = false) @DecimalMax("0.9")
        Double validationFraction,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Pattern(regexp = "standardize|minmax|none", message = "must be one of: standardize, minmax, none") String normalizer,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Pattern(regexp = "val_loss|val_accuracy|val_f1|val_precision|val_recall|val_mse|val_mae|val_r2",
                message = "must be one of: val_loss, val_accuracy, val_f1, val_precision, val_recall, val_mse, val_mae, val_r2")
        String earlyStopping,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Min(1) @Max(1000) Integer patience) {

    public static final int MAX_STEPS = 100_000;
    /** The old name of {@code steps}, still accepted on input. */
    public static final String STEPS_ALIAS = "epochs";
    public static final String SEED_RNN = "seed-rnn";
    /** A user's own DL4J network on tabular data: see {@link #network()}. */
    public static final String DL4J = "dl4j";
    public static final int MAX_EPOCHS = 10_000;
    /** The fields only a dl4j job takes ({@code epochs} there means passes; elsewhere it is the old name of steps). */
    public static final java.util.Set<String> DL4J_FIELDS = java.util.Set.of("network", "networkFile", "label", "task", "epochs",
            "validationFraction", "normalizer", "earlyStopping", "patience");
    public static final String SEED_SENTENCE = "seed-sentence";
    public static final String MEMORIZE = "memorize:";
    public static final int MAX_MEMORIZE_LENGTH = 4096;
    /** Delayed recall: {@code recall:<delay>}, see {@link RecallTask}. */
    public static final String RECALL = "recall:";
    public static final int MIN_RECALL_DELAY = RecallTask.MIN_DELAY;
    public static final int MAX_RECALL_DELAY = RecallTask.MAX_DELAY;

    /** The seed tutorial's cell with the given settings; null takes its default. */
    public static JobSpec seedRnn(Integer steps, Integer hidden, Double learningRate, Long seed) {
        return new JobSpec(SEED_RNN, SEED_SENTENCE, steps, hidden, null, null, learningRate, null, null, null, null, seed,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A character language model on a dataset; everything else takes the model's defaults. */
    public static JobSpec charLm(String model, String dataset, Integer steps) {
        return new JobSpec(model, dataset, steps, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The spec of a text model, as before issue #19: no dl4j fields. */
    public JobSpec(String model, String dataset, Integer steps, Integer hidden, Integer layers, Integer embedding,
            Double learningRate, String optimizer, String loss, Integer sequenceLength, Integer batchSize, Long seed,
            Double clipGradient, Integer sampleEvery) {
        this(model, dataset, steps, hidden, layers, embedding, learningRate, optimizer, loss, sequenceLength, batchSize, seed,
                clipGradient, sampleEvery, null, null, null, null, null, null, null, null, null);
    }

    /** A dl4j job: the network's JSON trained on a table; null fields take their defaults. */
    public static JobSpec dl4j(String network, String dataset, String label, String task, Integer epochs, Integer batchSize,
            Long seed) {
        return new JobSpec(DL4J, dataset, null, null, null, null, null, null, null, null, batchSize, seed, null, null, network,
                null, label, task, epochs, null, null, null, null);
    }

    /** The same spec with early stopping on {@code metric} after {@code patience} epochs without improvement. */
    public JobSpec withEarlyStopping(String metric, Integer patience) {
        return new JobSpec(model, dataset, steps, hidden, layers, embedding, learningRate, optimizer, loss, sequenceLength,
                batchSize, seed, clipGradient, sampleEvery, network, networkFile, label, task, epochs, validationFraction,
                normalizer, metric, patience);
    }

    /** The same spec with another validation share and normaliser. */
    public JobSpec withSplit(Double validationFraction, String normalizer) {
        return new JobSpec(model, dataset, steps, hidden, layers, embedding, learningRate, optimizer, loss, sequenceLength,
                batchSize, seed, clipGradient, sampleEvery, network, networkFile, label, task, epochs, validationFraction,
                normalizer, earlyStopping, patience);
    }

    /** What the job's progress counts: epochs (passes over the data) for dl4j, optimizer steps for the rest. */
    @JsonIgnore
    public int length() {
        JobSpec d = withDefaults();
        return DL4J.equals(d.model) ? d.epochs : d.steps;
    }

    /**
     * How JSON becomes a spec: as the canonical constructor, except that {@code epochs}, the old name of
     * {@code steps}, is taken for it. Bean Validation would report a bad value at {@code steps}, a field the
     * sender did not write, so the alias's range is checked here and reported at {@code epochs}.
     */
    @JsonCreator
    static JobSpec fromJson(@JsonProperty("model") String model, @JsonProperty("dataset") String dataset,
            @JsonProperty("steps") Integer steps, @JsonProperty(STEPS_ALIAS) Integer epochs,
            @JsonProperty("hidden") Integer hidden, @JsonProperty("layers") Integer layers,
            @JsonProperty("embedding") Integer embedding, @JsonProperty("learningRate") Double learningRate,
            @JsonProperty("optimizer") String optimizer, @JsonProperty("loss") String loss,
            @JsonProperty("sequenceLength") Integer sequenceLength, @JsonProperty("batchSize") Integer batchSize,
            @JsonProperty("seed") Long seed, @JsonProperty("clipGradient") Double clipGradient,
            @JsonProperty("sampleEvery") Integer sampleEvery, @JsonProperty("network") JsonNode network,
            @JsonProperty("networkFile") String networkFile, @JsonProperty("label") String label,
            @JsonProperty("task") String task, @JsonProperty("validationFraction") Double validationFraction,
            @JsonProperty("normalizer") String normalizer, @JsonProperty("earlyStopping") String earlyStopping,
            @JsonProperty("patience") Integer patience) {
        String networkJson = network == null || network.isNull() ? null : network.isString() ? network.asString() : network.toString();
        if (DL4J.equals(model)) {
            // A dl4j job trains true epochs, passes over the train split; steps would mean something else.
            if (steps != null) {
                var e = DatabindException.from((tools.jackson.core.JsonParser) null,
                        "a dl4j job trains whole epochs (passes over the train split): send epochs, not steps");
                e.prependPath(JobSpec.class, "steps");
                throw e;
            }
            return new JobSpec(model, dataset, null, hidden, layers, embedding, learningRate, optimizer, loss, sequenceLength,
                    batchSize, seed, clipGradient, sampleEvery, networkJson, networkFile, label, task, epochs, validationFraction,
                    normalizer, earlyStopping, patience);
        }
        if (epochs != null) {
            if (steps != null) {
                throw invalidAlias("is the old name of steps: send one of them, not both");
            }
            if (epochs < 1) {
                throw invalidAlias("must be greater than or equal to 1");
            }
            if (epochs > MAX_STEPS) {
                throw invalidAlias("must be less than or equal to " + MAX_STEPS);
            }
        }
        return new JobSpec(model, dataset, steps == null ? epochs : steps, hidden, layers, embedding, learningRate, optimizer,
                loss, sequenceLength, batchSize, seed, clipGradient, sampleEvery, networkJson, networkFile, label, task, null,
                validationFraction, normalizer, earlyStopping, patience);
    }

    /** A binding error at {@code epochs}, which Jackson passes on with the path to it (e.g. {@code job.epochs}). */
    private static DatabindException invalidAlias(String message) {
        var e = DatabindException.from((tools.jackson.core.JsonParser) null, message);
        e.prependPath(JobSpec.class, STEPS_ALIAS);
        return e;
    }

    @JsonIgnore
    @AssertTrue(message = "memorize:<length> takes a length from 1 to " + MAX_MEMORIZE_LENGTH)
    boolean isMemorizeLengthInRange() {
        if (dataset == null || !dataset.startsWith(MEMORIZE) || !dataset.substring(MEMORIZE.length()).matches("[0-9]{1,9}")) {
            return true;
        }
        int length = Integer.parseInt(dataset.substring(MEMORIZE.length()));
        return length >= 1 && length <= MAX_MEMORIZE_LENGTH;
    }

    @JsonIgnore
    @AssertTrue(message = "recall:<delay> takes a delay from " + RecallTask.MIN_DELAY + " to " + RecallTask.MAX_DELAY)
    boolean isRecallDelayInRange() {
        if (dataset == null || !dataset.startsWith(RECALL) || !dataset.substring(RECALL.length()).matches("[0-9]{1,9}")) {
            return true;
        }
        int delay = Integer.parseInt(dataset.substring(RECALL.length()));
        return delay >= RecallTask.MIN_DELAY && delay <= RecallTask.MAX_DELAY;
    }

    /** What guessing scores on the dataset's scored steps, when it is known: 1/8 on {@code recall:N}. */
    public static Double chanceOf(String dataset) {
        return dataset != null && dataset.startsWith(RECALL) ? RecallTask.chance() : null;
    }

    @JsonIgnore
    @AssertTrue(message = "seed-rnn is the tutorial's one-layer one-hot cell: layers, embedding, sequenceLength and "
            + "batchSize do not apply, and it trains on seed-sentence or memorize:<length>")
    boolean isSeedRnnConsistent() {
        if (!SEED_RNN.equals(model == null ? SEED_RNN : model)) {
            return true;
        }
        boolean dataOk = dataset == null || dataset.equals(SEED_SENTENCE) || dataset.startsWith(MEMORIZE);
        return dataOk && layers == null && embedding == null && sequenceLength == null && batchSize == null;
    }

    @JsonIgnore
    @AssertTrue(message = "network, networkFile, label, task, validationFraction, normalizer, earlyStopping and patience "
            + "are for model dl4j only")
    boolean isTabularOnlyForDl4j() {
        return DL4J.equals(model) || (network == null && networkFile == null && label == null && task == null
                && validationFraction == null && normalizer == null && earlyStopping == null && patience == null);
    }

    @JsonIgnore
    @AssertTrue(message = "a dl4j job takes its architecture and updater from its network: hidden, layers, embedding, "
            + "learningRate, optimizer, loss, sequenceLength, clipGradient and sampleEvery do not apply")
    boolean isDl4jWithoutTextSettings() {
        return !DL4J.equals(model) || (hidden == null && layers == null && embedding == null && learningRate == null
                && optimizer == null && loss == null && sequenceLength == null && clipGradient == null && sampleEvery == null);
    }

    @JsonIgnore
    @AssertTrue(message = "a dl4j job needs its network: send network (DL4J's JSON) or networkFile (an upload's id), not both")
    boolean isDl4jNetworkGiven() {
        return !DL4J.equals(model) || (network == null) != (networkFile == null);
    }

    @JsonIgnore
    @AssertTrue(message = "a dl4j job trains on a table: builtin:iris, builtin:regression or dataset:<id> of a CSV upload, "
            + "and an upload needs its label column and task")
    boolean isDl4jDataGiven() {
        if (!DL4J.equals(model) || dataset == null || Tabular.BUILTINS.containsKey(dataset)) {
            return true;
        }
        return dataset.startsWith("dataset:") && label != null && task != null;
    }

    /** The same spec with every absent field set to the model's default. */
    public JobSpec withDefaults() {
        String m = model == null ? SEED_RNN : model;
        if (DL4J.equals(m)) {
            String data = or(dataset, Tabular.IRIS);
            Tabular.Builtin builtin = Tabular.BUILTINS.get(data);
            return new JobSpec(m, data, null, null, null, null, null, null, null, null, or(batchSize, 32), seed, null, null,
                    network, networkFile, or(label, builtin == null ? null : builtin.label()),
                    or(task, builtin == null ? null : builtin.task()), or(epochs, 50), or(validationFraction, 0.2),
                    or(normalizer, "standardize"), earlyStopping, earlyStopping == null ? patience : or(patience, 5));
        }
        if (SEED_RNN.equals(m)) {
            // The tutorial's own settings.
            return new JobSpec(m, or(dataset, SEED_SENTENCE), or(steps, 1000), or(hidden, 35), null, null,
                    or(learningRate, 0.01), or(optimizer, "adam"), or(loss, "mse"), null, null, or(seed, 1L),
                    clipGradient, or(sampleEvery, 100));
        }
        // The seed's model comparison as a PyTorch user writes it (torch_reference.py charlm).
        return new JobSpec(m, or(dataset, "builtin:tales"), or(steps, 500), or(hidden, 100), or(layers, 1),
                or(embedding, 70), or(learningRate, 0.002), or(optimizer, "adam"), or(loss, "xent"),
                or(sequenceLength, 200), or(batchSize, 1), or(seed, 1L), clipGradient, or(sampleEvery, 50), null, null, null,
                null, null, null, null, null, null);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}

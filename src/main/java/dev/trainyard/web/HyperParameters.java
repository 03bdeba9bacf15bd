package dev.trainyard.web;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * The job spec's fields as the launch form shows them. Ranges are read from {@link JobSpec}'s Bean
 * Validation annotations and defaults from {@link JobSpec#withDefaults()}, so the form cannot drift
 * from what the API enforces.
 */
final class HyperParameters {

    enum Kind { WHOLE, DECIMAL, CHOICE }

    /**
     * One form field. {@code seedDefault} / {@code charLmDefault} are the defaults of seed-rnn and of
     * the other models, as text (empty: none, the setting is off); {@code seedRnn} tells whether
     * seed-rnn takes the field at all.
     */
    record Param(String name, String label, Kind kind, List<String> choices, String range, String seedDefault,
            String charLmDefault, boolean seedRnn) {

        public String hint() {
            String defaults = seedRnn && !seedDefault.equals(charLmDefault)
                    ? "default " + shown(seedDefault) + " (seed-rnn), " + shown(charLmDefault) + " (others)"
                    : "default " + shown(seedRnn ? seedDefault : charLmDefault) + (seedRnn ? "" : "; not for seed-rnn");
            return range.isEmpty() ? defaults : range + "; " + defaults;
        }

        private static String shown(String value) {
            return value.isEmpty() ? "off" : value;
        }
    }

    /** Human names; everything numeric comes from the spec itself. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("steps", "Steps"), Map.entry("hidden", "Hidden units"), Map.entry("layers", "Layers"),
            Map.entry("embedding", "Embedding width"), Map.entry("learningRate", "Learning rate"),
            Map.entry("optimizer", "Optimizer"), Map.entry("loss", "Loss"), Map.entry("sequenceLength", "Sequence length"),
            Map.entry("batchSize", "Batch size"), Map.entry("seed", "Random seed"),
            Map.entry("clipGradient", "Gradient clipping"), Map.entry("sampleEvery", "Sample every (steps)"));

    static final JobSpec SEED_DEFAULTS = JobSpec.seedRnn(null, null, null, null).withDefaults();
    static final JobSpec CHAR_LM_DEFAULTS = JobSpec.charLm("rnn", null, null).withDefaults();
    /** The built-in dataset the character models default to (builtin:tales). */
    static final String BUILTIN_DATASET = CHAR_LM_DEFAULTS.dataset();

    private static final List<Param> PARAMS = read();

    private HyperParameters() {
    }

    static List<Param> all() {
        return PARAMS;
    }

    /** The models the spec accepts, in its own order: seed-rnn, rnn, gru, lstm. */
    static List<String> models() {
        // dl4j jobs have a form of their own (Dl4jLaunchController): a network and a table, not these settings
        return choices(component("model")).stream().filter(m -> !JobSpec.DL4J.equals(m)).toList();
    }

    /** The models a side-by-side comparison trains: every one but the seed tutorial's cell. */
    static List<String> comparedModels() {
        return models().stream().filter(m -> !JobSpec.SEED_RNN.equals(m)).toList();
    }

    /** What one step is, which depends on the dataset; the launch form and the run page say it. */
    static final String STEP_MEANING = "A step is one optimizer step (the field was called epochs, which is still "
            + "accepted): on seed-sentence and memorize:N a pass over the whole text (1000 steps = the tutorial's 1000 "
            + "epochs, passes over the sentence); on a corpus one random chunk of sequenceLength characters per sequence "
            + "of the batch, not a pass over the corpus; on recall:N one batch of fresh sequences.";

    /** The same for one dataset. */
    static String stepMeaning(String dataset) {
        if (dataset == null) {
            return STEP_MEANING;
        }
        if (dataset.equals(JobSpec.SEED_SENTENCE) || dataset.startsWith(JobSpec.MEMORIZE)) {
            return "one step = one optimizer step on the whole text, a pass over the dataset";
        }
        if (dataset.startsWith(JobSpec.RECALL)) {
            return "one step = one optimizer step on a batch of freshly drawn sequences";
        }
        return "one step = one optimizer step on one random chunk per sequence of the batch, not a pass over the corpus";
    }

    static String memorizeRange() {
        return "1–" + format(JobSpec.MAX_MEMORIZE_LENGTH);
    }

    private static List<Param> read() {
        var params = new ArrayList<Param>();
        for (RecordComponent c : JobSpec.class.getRecordComponents()) {
            if (!LABELS.containsKey(c.getName())) {
                continue; // model and dataset have their own controls
            }
            Kind kind = c.getType() == String.class ? Kind.CHOICE
                    : c.getType() == Double.class ? Kind.DECIMAL : Kind.WHOLE;
            String seed = text(value(c, SEED_DEFAULTS));
            String charLm = text(value(c, CHAR_LM_DEFAULTS));
            // withDefaults() leaves what seed-rnn does not take (layers, embedding...) empty while the others fill it.
            boolean seedRnn = !(seed.isEmpty() && !charLm.isEmpty());
            params.add(new Param(c.getName(), LABELS.get(c.getName()), kind, kind == Kind.CHOICE ? choices(c) : List.of(),
                    range(c), seed, charLm, seedRnn));
        }
        return List.copyOf(params);
    }

    // Constraints on a record component land on its field and accessor, not on the component itself.
    private static String range(RecordComponent c) {
        Min min = c.getAccessor().getAnnotation(Min.class);
        Max max = c.getAccessor().getAnnotation(Max.class);
        if (min != null && max != null) {
            return format(min.value()) + "–" + format(max.value());
        }
        DecimalMin dmin = c.getAccessor().getAnnotation(DecimalMin.class);
        DecimalMax dmax = c.getAccessor().getAnnotation(DecimalMax.class);
        if (dmin != null && dmax != null) {
            return (dmin.inclusive() ? "≥ " : "> ") + grouped(dmin.value()) + " and " + (dmax.inclusive() ? "≤ " : "< ")
                    + grouped(dmax.value());
        }
        return "";
    }

    private static List<String> choices(RecordComponent c) {
        // The spec's choice patterns are plain alternations: "adam|sgd|rmsprop".
        return Arrays.asList(c.getAccessor().getAnnotation(Pattern.class).regexp().split("\\|"));
    }

    private static RecordComponent component(String name) {
        return Arrays.stream(JobSpec.class.getRecordComponents()).filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static Object value(RecordComponent c, JobSpec spec) {
        try {
            return c.getAccessor().invoke(spec);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A default as the form shows and submits it. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof Double d ? plain(BigDecimal.valueOf(d).toPlainString()) : value.toString();
    }

    private static String plain(String decimal) {
        return new BigDecimal(decimal).stripTrailingZeros().toPlainString();
    }

    private static String grouped(String decimal) {
        NumberFormat format = NumberFormat.getNumberInstance(Locale.ENGLISH);
        format.setMaximumFractionDigits(20);
        return format.format(new BigDecimal(decimal));
    }

    private static String format(long value) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(value);
    }
}

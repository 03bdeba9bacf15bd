package dev.trainyard.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables dl4j jobs train on that come with Trainyard, so that a fresh install has something to train.
 *
 * <ul>
 *   <li>{@code builtin:iris}: Fisher's Iris (public domain), 150 rows, 4 measurements in cm, 3 species.</li>
 *   <li>{@code builtin:regression}: 1000 rows drawn with seed {@value #REGRESSION_SEED}: x1..x4 uniform in [-1, 1],
 *       y = 2·x1 − x2 + sin(3·x3) + x4² + N(0, 0.1²), so a good model reaches R² near 0.99.</li>
 *   <li>{@code builtin:waves}: {@value #WAVES_ROWS} sequences of {@value #WAVE_LENGTH} samples t1..t32 drawn with
 *       seed {@value #WAVES_SEED}, each a sine, square or sawtooth wave of random period (6 to 16 samples), phase
 *       and amplitude plus N(0, 0.2²) noise, labelled by its shape: a table whose columns are time steps, for a
 *       convolution.</li>
 * </ul>
 */
public final class Tabular {

    public static final String IRIS = "builtin:iris";
    public static final String REGRESSION = "builtin:regression";
    public static final long REGRESSION_SEED = 19;
    static final int REGRESSION_ROWS = 1000;
    public static final String WAVES = "builtin:waves";
    public static final long WAVES_SEED = 23;
    public static final int WAVE_LENGTH = 32;
    static final int WAVES_ROWS = 600;

    /** A built-in table's label column and task, which a job on it may leave out. */
    public record Builtin(String label, String task, String description) {
    }

    public static final Map<String, Builtin> BUILTINS;

    static {
        var map = new LinkedHashMap<String, Builtin>();
        map.put(IRIS, new Builtin("species", "classification", "Iris: 150 rows, 4 features, 3 species"));
        map.put(REGRESSION, new Builtin("y", "regression",
                "y = 2·x1 − x2 + sin(3·x3) + x4² + noise: 1000 rows, 4 features, seed " + REGRESSION_SEED));
        map.put(WAVES, new Builtin("shape", "classification", "sine, square or sawtooth: " + WAVES_ROWS + " noisy sequences of "
                + WAVE_LENGTH + " samples, seed " + WAVES_SEED));
        BUILTINS = java.util.Collections.unmodifiableMap(map);
    }

    private static final Map<String, byte[]> CSVS = new ConcurrentHashMap<>();
    private static final Map<String, TabularSchema> SCHEMAS = new ConcurrentHashMap<>();

    private Tabular() {
    }

    /** The CSV of a built-in table, or null for another name. */
    static byte[] builtinCsv(String dataset) {
        if (!BUILTINS.containsKey(dataset)) {
            return null;
        }
        return CSVS.computeIfAbsent(dataset, d -> IRIS.equals(d) ? resource("/datasets/iris.csv") : WAVES.equals(d) ? waves()
                : regression());
    }

    /** The schema of a built-in table, or null for another name. */
    public static TabularSchema builtinSchema(String dataset) {
        byte[] csv = builtinCsv(dataset);
        return csv == null ? null : SCHEMAS.computeIfAbsent(dataset, d -> TabularCsv.detect(csv));
    }

    private static byte[] resource(String path) {
        try (InputStream in = Tabular.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] regression() {
        Random random = new Random(REGRESSION_SEED);
        var csv = new StringBuilder("x1,x2,x3,x4,y\n");
        for (int i = 0; i < REGRESSION_ROWS; i++) {
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = random.nextDouble() * 2 - 1;
            }
            double y = 2 * x[0] - x[1] + Math.sin(3 * x[2]) + x[3] * x[3] + 0.1 * random.nextGaussian();
            for (double v : x) {
                csv.append(String.format(Locale.ROOT, "%.5f,", v));
            }
            csv.append(String.format(Locale.ROOT, "%.5f%n", y));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] waves() {
        Random random = new Random(WAVES_SEED);
        var csv = new StringBuilder();
        for (int t = 1; t <= WAVE_LENGTH; t++) {
            csv.append('t').append(t).append(',');
        }
        csv.append("shape\n");
        String[] shapes = {"sine", "square", "sawtooth"};
        for (int i = 0; i < WAVES_ROWS; i++) {
            String shape = shapes[i % shapes.length];
            double period = 6 + random.nextDouble() * 10;
            double phase = random.nextDouble();
            double amplitude = 0.5 + random.nextDouble();
            for (int t = 0; t < WAVE_LENGTH; t++) {
                double cycle = (t / period + phase) % 1.0;
                double clean = switch (shape) {
                    case "sine" -> Math.sin(2 * Math.PI * cycle);
                    case "square" -> cycle < 0.5 ? 1 : -1;
                    default -> 2 * cycle - 1;
                };
                csv.append(String.format(Locale.ROOT, "%.4f,", amplitude * clean + 0.2 * random.nextGaussian()));
            }
            csv.append(shape).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What a job reads from a table: its features (every column but the labels, in file order), its labels
     * and, for classification, its class names.
     *
     * @param classes   classification: the class names, index i is class i; regression: empty
     * @param textLabel classification on a text column (mapped to the sorted names), not on class indices
     */
    record Plan(List<String> features, List<String> labels, boolean classification, List<String> classes, boolean textLabel) {

        int outputs() {
            return classification ? classes.size() : labels.size();
        }

        /**
         * @throws JobRefusal naming {@code label} for a missing or unfit label column, {@code dataset} for a feature
         *                    that is not numeric (with its line and column)
         */
        static Plan of(TabularSchema schema, String label, String task) {
            if (label == null || label.isBlank()) {
                throw new JobRefusal("label", "name the label column; the table has " + schema.names());
            }
            boolean classification = "classification".equals(task);
            List<String> labels = Arrays.stream(label.split(",")).map(String::strip).toList();
            for (String l : labels) {
                if (schema.column(l).isEmpty()) {
                    throw new JobRefusal("label", "the table has no column '" + l + "'; its columns are " + schema.names());
                }
            }
            if (labels.size() == schema.columns().size()) {
                throw new JobRefusal("label", "every column is a label: the network would have no features");
            }
            if (classification && labels.size() != 1) {
                throw new JobRefusal("label", "classification takes one label column, not " + labels.size());
            }
            var features = new ArrayList<String>();
            for (TabularSchema.Column c : schema.columns()) {
                if (labels.contains(c.name())) {
                    continue;
                }
                if (!c.numeric()) {
                    throw new JobRefusal("dataset", "feature '" + c.name() + "' (column " + schema.position(c.name())
                            + ") is not numeric: line " + c.firstTextLine() + ", column " + schema.position(c.name()) + " holds '"
                            + c.firstText() + "'" + (c.firstText().isEmpty() ? " (empty)" : "")
                            + "; features must be numbers (make it the label, or encode it as numbers)");
                }
                features.add(c.name());
            }
            if (!classification) {
                for (String l : labels) {
                    TabularSchema.Column c = schema.column(l).orElseThrow();
                    if (!c.numeric()) {
                        throw new JobRefusal("label", "regression target '" + l + "' (column " + schema.position(l)
                                + ") is not numeric: line " + c.firstTextLine() + " holds '" + c.firstText() + "'");
                    }
                }
                return new Plan(List.copyOf(features), labels, false, List.of(), false);
            }
            TabularSchema.Column c = schema.column(labels.get(0)).orElseThrow();
            List<String> classes;
            if (c.numeric()) {
                if (!c.integral() || c.min() < 0) {
                    throw new JobRefusal("label", "class label '" + c.name() + "' holds numbers that are not class indices "
                            + "0, 1, 2, ... (from " + c.min() + " to " + c.max() + "); use regression, or label the classes");
                }
                if (c.max() >= TabularSchema.MAX_VALUES) {
                    throw new JobRefusal("label", "class label '" + c.name() + "' goes up to " + (long) c.max()
                            + "; at most " + TabularSchema.MAX_VALUES + " classes are supported");
                }
                classes = new ArrayList<>();
                for (int i = 0; i <= (int) c.max(); i++) {
                    classes.add(String.valueOf(i));
                }
            } else {
                if (c.distinct() > TabularSchema.MAX_VALUES) {
                    throw new JobRefusal("label", "class label '" + c.name() + "' has more than " + TabularSchema.MAX_VALUES
                            + " distinct values");
                }
                classes = c.values();
            }
            if (classes.size() < 2) {
                throw new JobRefusal("label", "class label '" + c.name() + "' has one class only");
            }
            return new Plan(List.copyOf(features), labels, true, List.copyOf(classes), !c.numeric());
        }
    }
}

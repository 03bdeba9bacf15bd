package dev.trainyard.training;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: ms/epoch of the charlm workload (one 200-char chunk per epoch, embedding 70, hidden 100,
 * one layer, batch 1, Adam 0.002, cross-entropy: every char-LM default) for rnn, gru and lstm through
 * {@link Trainer}, beside {@code torch_reference.py charlm --threads 1} run by this main in the same
 * session, alternating round by round. Trainyard trains on the script's own synthetic corpus (dumped by
 * the script's {@code synthetic_corpus()}, handed over as an upload), so both do the same work.
 * Run after {@code ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}:
 * {@code java -cp target/classes:target/test-classes:target/bench-classes:$(cat target/cp.txt) dev.trainyard.training.CharLmBench [rounds] [epochs]}
 */
public final class CharLmBench {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "/work/shared/bench/torch_reference.py";
    private static final List<String> MODELS = List.of("rnn", "gru", "lstm");
    private static final int WARM_UP = 5;

    private CharLmBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("charlm-bench");
        Path corpus = dir.resolve("synthetic.txt");
        run(List.of(PYTHON, "-c", "import sys; sys.path.insert(0, '" + Path.of(SCRIPT).getParent() + "'); "
                + "import torch_reference as t; open('" + corpus + "', 'w', encoding='utf-8').write(t.synthetic_corpus())"));
        UploadedTexts upload = id -> Optional.of(corpus);
        Trainer trainer = new Trainer(() -> upload);
        Map<String, List<Double>> ours = new LinkedHashMap<>();
        Map<String, List<Double>> torch = new LinkedHashMap<>();
        System.out.println("load before: " + load());
        for (int round = 1; round <= rounds; round++) {
            for (String model : MODELS) {
                List<EpochMetrics> metrics = new ArrayList<>();
                JobSpec spec = JobSpec.charLm(model, "dataset:bench", epochs + WARM_UP);
                trainer.train(spec, dir.resolve(model + ".bin"), metrics::add, () -> false, 1);
                double[] warm = metrics.subList(WARM_UP, metrics.size()).stream().mapToDouble(EpochMetrics::epochMillis)
                        .toArray();
                double mean = Arrays.stream(warm).average().orElseThrow();
                ours.computeIfAbsent(model, k -> new ArrayList<>()).add(mean);
                System.out.printf("round %d trainyard model=%s ms/epoch=%.2f (median %.2f) final_loss=%.3f%n", round, model,
                        mean, median(warm), metrics.get(metrics.size() - 1).loss());
            }
            String out = run(List.of(PYTHON, SCRIPT, "charlm", "--threads", "1", "--epochs", String.valueOf(epochs)));
            Matcher m = Pattern.compile("model=(\\w+) ms/epoch=([0-9.]+)").matcher(out);
            while (m.find()) {
                torch.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                System.out.printf("round %d pytorch   model=%s ms/epoch=%s%n", round, m.group(1), m.group(2));
            }
            System.out.println("load after round " + round + ": " + load());
        }
        System.out.println();
        System.out.println("| model | Trainyard ms/epoch (median of rounds) | PyTorch ms/epoch (median of rounds) | ratio |");
        System.out.println("|---|---|---|---|");
        for (String model : MODELS) {
            double a = median(ours.get(model).stream().mapToDouble(Double::doubleValue).toArray());
            double b = median(torch.get(model).stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf("| %s | %.2f (%s) | %.2f (%s) | %.2f |%n", model, a, format(ours.get(model)), b,
                    format(torch.get(model)), a / b);
        }
    }

    private static String format(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format("%.2f", v)).toList());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                out.append(line).append('\n');
            }
        }
        if (process.waitFor() != 0) {
            throw new IOException(command + " failed:\n" + out);
        }
        return out.toString();
    }
}

package dev.trainyard.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: ms/epoch of the default seed-rnn job through {@link Trainer}, to set beside
 * {@code /usr/bin/python3 /work/shared/bench/torch_reference.py seed --threads 1} run in the same session.
 * Run after {@code ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}:
 * {@code java -cp target/classes:target/test-classes:target/bench-classes:$(cat target/cp.txt) dev.trainyard.training.SeedRnnBench [threads] [seed] [runs]}
 */
public final class SeedRnnBench {

    private SeedRnnBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path file = Files.createTempDirectory("seed-rnn-bench").resolve("model.bin");
        Generator generator = new Generator();
        try {
            for (int run = 1; run <= runs; run++) {
                List<EpochMetrics> epochs = new ArrayList<>();
                JobSpec spec = new JobSpec(null, null, null, null, null, null, null, null, null, null, null, seed, null, null).withDefaults();
                new Trainer().train(spec, file, epochs::add, () -> false, threads);
                double all = epochs.stream().mapToDouble(EpochMetrics::epochMillis).average().orElseThrow();
                double warm = epochs.subList(100, epochs.size()).stream()
                        .mapToDouble(EpochMetrics::epochMillis).average().orElseThrow();
                long start = System.nanoTime();
                String text = generator.generate(file, null, null, null).get();
                System.out.printf("run %d threads=%d seed=%d ms/epoch all=%.3f after-100=%.3f loss/step=%.6f exact=%s"
                        + " generate=%.1f ms%n", run, threads, seed, all, warm, epochs.get(epochs.size() - 1).loss(),
                        text.equals(SeedSentence.TEXT), (System.nanoTime() - start) / 1e6);
            }
        } finally {
            generator.destroy();
        }
    }
}

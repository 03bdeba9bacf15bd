package dev.trainyard.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not a test: the memory-horizon experiment through {@link Trainer} alone, no server. For each model and
 * delay, trains on {@code recall:N} and prints the final {@code test_accuracy} (recall steps of held-out
 * fresh sequences; chance 0.125), the seconds it took, and the last hidden-state gradient norms.
 * Run after {@code ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}:
 * {@code java -cp target/classes:target/test-classes:target/bench-classes:$(cat target/cp.txt) dev.trainyard.training.HorizonBench
 * models=rnn,gru,lstm lengths=8,16,32 epochs=1000 hidden=64 batch=32 lr=0.002 seed=1}
 */
public final class HorizonBench {

    private HorizonBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new TreeMap<>(Map.of("models", "rnn,gru,lstm", "lengths", "8,16,32,64", "epochs", "1000",
                "hidden", "64", "batch", "32", "lr", "", "seed", "1", "sampleEvery", "100", "embedding", ""));
        for (String a : args) {
            o.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        System.out.println("# " + o);
        Path dir = Files.createTempDirectory("horizon-bench");
        for (String length : o.get("lengths").split(",")) {
            for (String model : o.get("models").split(",")) {
                for (String seed : o.get("seed").split(",")) {
                    JobSpec spec = new JobSpec(model, "recall:" + length, Integer.valueOf(o.get("epochs")),
                            Integer.valueOf(o.get("hidden")), null, o.get("embedding").isEmpty() ? null : Integer.valueOf(o.get("embedding")),
                            o.get("lr").isEmpty() ? null : Double.valueOf(o.get("lr")), null, null, null,
                            Integer.valueOf(o.get("batch")), Long.valueOf(seed), null, Integer.valueOf(o.get("sampleEvery")));
                    List<String> curve = new ArrayList<>();
                    Map<String, Double> grads = new TreeMap<>();
                    long start = System.nanoTime();
                    new Trainer().train(spec, dir.resolve(model + length + ".bin"), m -> {
                        Double test = m.extra().get("test_accuracy");
                        if (test != null) {
                            curve.add(String.format("%.2f", test));
                        }
                        m.extra().forEach((k, v) -> {
                            if (k.startsWith("grad_norm")) {
                                grads.put(k, v);
                            }
                        });
                    }, () -> false, 1);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("%s N=%s seed=%s final=%s s=%.1f curve=%s grads=%s%n", model, length, seed,
                            curve.get(curve.size() - 1), seconds, curve, grads);
                }
            }
        }
    }
}

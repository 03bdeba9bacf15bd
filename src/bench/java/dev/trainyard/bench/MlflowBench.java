package dev.trainyard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue #16's MLflow figures against the packaged jar: {@code runs/log-batch} of 1000 metrics from
 * 20 concurrent clients (requests/s, p50, p99), and {@code runs/search} over many runs with a metric
 * filter and an order_by (p50), on embedded H2 and on PostgreSQL. Not a test.
 *
 * <p>{@code ./mvnw -q -DskipTests package && java -cp target/bench-classes:target/test-classes:$(./mvnw -q dependency:build-classpath
 * -Dmdep.outputFile=/dev/stdout) dev.trainyard.bench.MlflowBench [seconds=30] [clients=20] [runs=10000] [db=h2,postgres]
 * [explain=ms]}; with {@code explain}, PostgreSQL logs the plan of each statement slower than that.
 */
public final class MlflowBench {

    private MlflowBench() {
    }

    public static void main(String[] args) throws Exception {
        var settings = new java.util.HashMap<String, String>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        int seconds = Integer.parseInt(settings.getOrDefault("seconds", "30"));
        int clients = Integer.parseInt(settings.getOrDefault("clients", "20"));
        int runs = Integer.parseInt(settings.getOrDefault("runs", "10000"));
        Path jar = Bench.Config.findJar(Path.of("target").toAbsolutePath());
        Path work = Files.createTempDirectory("mlflow-bench");
        System.out.printf("MlflowBench %s, %s: log-batch of 1000 metrics, %d clients, %d s; runs/search over %,d runs%n",
                jar.getFileName(), Bench.machine(), clients, seconds, runs);
        System.out.println("| database | log-batch requests/s | metrics/s | p50 ms | p99 ms | runs/search p50 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (String db : settings.getOrDefault("db", "h2,postgres").split(",")) {
            var pg = new BenchPostgres("jdbc:postgresql://127.0.0.1:5432/", "postgres");
            String database = "trainyard_mlflow_bench_" + System.currentTimeMillis();
            Map<String, String> environment = Map.of();
            if (db.equals("postgres")) {
                environment = Map.of("SPRING_DATASOURCE_URL", pg.create(database), "SPRING_DATASOURCE_USERNAME", "postgres",
                        "SPRING_DATASOURCE_PASSWORD", "");
                if (settings.containsKey("explain")) {
                    pg.explainSlowerThan(database, Integer.parseInt(settings.get("explain")));
                }
            }
            var server = new ServerProcess(jar, work.resolve(db), List.of("-Xmx2g"), List.of("-Dlogging.level.root=warn"), environment);
            try {
                server.launch();
                server.awaitHealthy(Duration.ofMinutes(5));
                var http = new BenchHttp(server.baseUrl());
                String experiment = http.postJson("/api/2.0/mlflow/experiments/create", "{\"name\":\"bench\"}").get("experiment_id").asString();
                double[] batch = logBatch(http, experiment, clients, seconds);
                double[] search = search(http, experiment, runs);
                System.out.printf("| %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f |%n", db, batch[0], batch[0] * 1000, batch[1], batch[2],
                        search[0], search[1]);
            } finally {
                server.stop();
                if (db.equals("postgres")) {
                    pg.drop(database);
                }
            }
        }
        Bench.deleteTree(work);
    }

    /** {requests/s, p50 ms, p99 ms} of log-batch with 1000 metrics each, every client on a run of its own. */
    private static double[] logBatch(BenchHttp http, String experiment, int clients, int seconds) throws Exception {
        var latencies = Collections.synchronizedList(new ArrayList<Double>());
        var requests = new AtomicLong();
        var measuring = new AtomicBoolean(false);
        var running = new AtomicBoolean(true);
        var pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            String run = http.postJson("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"" + experiment + "\"}")
                    .get("run").get("info").get("run_id").asString();
            pool.submit(() -> {
                for (long step = 0; running.get(); step++) {
                    var body = new StringBuilder("{\"run_id\":\"").append(run).append("\",\"metrics\":[");
                    for (int k = 0; k < 1000; k++) {
                        body.append(k == 0 ? "" : ",").append("{\"key\":\"m").append(k % 10).append("\",\"value\":")
                                .append(Math.sin(step + k)).append(",\"timestamp\":").append(System.currentTimeMillis())
                                .append(",\"step\":").append(step * 100 + k / 10).append('}');
                    }
                    var reply = http.post("/api/2.0/mlflow/runs/log-batch", body.append("]}").toString());
                    if (!reply.ok()) {
                        throw new IllegalStateException("log-batch answered " + reply.status() + ": " + reply.body());
                    }
                    if (measuring.get()) {
                        latencies.add(reply.millis());
                        requests.incrementAndGet();
                    }
                }
                return null;
            });
        }
        TimeUnit.SECONDS.sleep(Math.max(3, seconds / 5)); // warm-up: JIT and the pool
        measuring.set(true);
        long started = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        measuring.set(false);
        double elapsed = (System.nanoTime() - started) / 1e9;
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        return new double[] {requests.get() / elapsed, Stats.median(latencies), Stats.percentile(latencies, 99)};
    }

    /** {p50 ms, p99 ms} of a filtered, ordered runs/search after making {@code runs} runs with a metric and a param each. */
    private static double[] search(BenchHttp http, String experiment, int runs) throws Exception {
        var pool = Executors.newFixedThreadPool(8);
        var made = new ArrayList<java.util.concurrent.Future<?>>();
        for (int i = 0; i < runs; i++) {
            int n = i;
            made.add(pool.submit(() -> {
                String run = http.postJson("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"" + experiment + "\"}")
                        .get("run").get("info").get("run_id").asString();
                http.postJson("/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"acc\",\"value\":"
                        + (n % 1000) / 1000.0 + ",\"timestamp\":1,\"step\":0}],\"params\":[{\"key\":\"lr\",\"value\":\"" + (n % 7) + "\"}]}");
                return null;
            }));
        }
        for (var f : made) {
            f.get();
        }
        pool.shutdown();
        String query = "{\"experiment_ids\":[\"" + experiment + "\"],\"filter\":\"metrics.acc > 0.5 and params.lr = '3'\","
                + "\"order_by\":[\"metrics.acc DESC\"],\"max_results\":100}";
        var latencies = new ArrayList<Double>();
        for (int i = 0; i < 60; i++) {
            var reply = http.post("/api/2.0/mlflow/runs/search", query);
            if (!reply.ok()) {
                throw new IllegalStateException("runs/search answered " + reply.status() + ": " + reply.body());
            }
            if (i >= 10) {
                latencies.add(reply.millis());
            }
        }
        return new double[] {Stats.median(latencies), Stats.percentile(latencies, 99)};
    }
}

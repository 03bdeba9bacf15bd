package dev.trainyard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.trainyard.support.ChildServer;
import dev.trainyard.support.Postgres;
import tools.jackson.databind.JsonNode;

/**
 * Live latency across nodes on PostgreSQL: two nodes, each in its own JVM, on one fresh database
 * of the local server. A script logs one point per request to node B; a browser follows the run on
 * node A (and, for comparison, on B itself) through {@code GET /api/v1/runs/{id}/events}. For each
 * point: the time from B's 200 to the point's arrival on each stream, and from sending the POST
 * (an upper bound of commit → arrival, since the commit falls between sending and the 200).
 *
 * <pre>
 * ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:target/bench-classes:$(cat target/cp.txt) dev.trainyard.bench.CrossNodeLatencyBench
 * </pre>
 *
 * Knobs ({@code -D} before the class name): {@code bench.points} (300), {@code bench.warmup} (20),
 * {@code bench.intervalMs} (50). Needs PostgreSQL at 127.0.0.1:5432 (or {@code TRAINYARD_TEST_POSTGRES}).
 * The nodes' logs go to {@code target/cross-node-bench/<timestamp>/{a,b}/server.log}.
 */
public final class CrossNodeLatencyBench {

    /** One SSE stream and when each step's point arrived on it (System.nanoTime). */
    static final class Follower {
        final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
        final CountDownLatch open = new CountDownLatch(1);
        private CompletableFuture<?> stream;

        void follow(String url) {
            var request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build();
            stream = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
                String[] event = {null};
                r.body().forEach(line -> {
                    long now = System.nanoTime();
                    if (line.startsWith("event:")) {
                        event[0] = line.substring(6).strip();
                    } else if (line.startsWith("data:") && "metrics".equals(event[0])) {
                        for (JsonNode p : BenchHttp.JSON.readTree(line.substring(5).strip()).get("points")) {
                            arrivals.putIfAbsent(p.get("step").asLong(), now);
                        }
                    } else if (line.startsWith("data:") && "state".equals(event[0])) {
                        open.countDown();
                    } else if (line.isEmpty()) {
                        event[0] = null;
                    }
                });
            });
        }

        void close() {
            stream.cancel(true);
        }
    }

    private CrossNodeLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int points = Integer.getInteger("bench.points", 300);
        int warmup = Integer.getInteger("bench.warmup", 20);
        int intervalMs = Integer.getInteger("bench.intervalMs", 50);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = Path.of("target/cross-node-bench", stamp).toAbsolutePath();
        String url = Postgres.createDatabase();
        var settings = new ArrayList<>(Postgres.datasourceArgs(url));
        settings.add("--spring.datasource.hikari.maximum-pool-size=5");
        String loadBefore = CpuMeter.loadAverage();

        var a = new ChildServer(Files.createDirectories(dir.resolve("a")));
        var b = new ChildServer(Files.createDirectories(dir.resolve("b")));
        var onA = new Follower();
        var onB = new Follower();
        try {
            String[] args0 = settings.toArray(String[]::new);
            CompletableFuture.allOf(CompletableFuture.runAsync(() -> a.start(args0)), CompletableFuture.runAsync(() -> b.start(args0)))
                    .get(10, TimeUnit.MINUTES);
            var httpA = new BenchHttp("http://127.0.0.1:" + a.port());
            var httpB = new BenchHttp("http://127.0.0.1:" + b.port());
            String run = httpB.createRun("{\"project\": \"latency\", \"name\": \"cross-node\"}");
            onA.follow(httpA.base() + "/api/v1/runs/" + run + "/events");
            onB.follow(httpB.base() + "/api/v1/runs/" + run + "/events");
            if (!onA.open.await(30, TimeUnit.SECONDS) || !onB.open.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the SSE streams did not open");
            }

            int total = warmup + points;
            long[] sent = new long[total];
            long[] acknowledged = new long[total];
            for (int step = 0; step < total; step++) {
                String body = "{\"points\":[{\"key\":\"loss\",\"step\":" + step + ",\"value\":" + (1.0 / (step + 1)) + "}]}";
                sent[step] = System.nanoTime();
                var reply = httpB.post("/api/v1/runs/" + run + "/metrics", body);
                acknowledged[step] = System.nanoTime();
                if (!reply.ok()) {
                    throw new IllegalStateException("POST step " + step + ": HTTP " + reply.status() + " " + reply.body());
                }
                Thread.sleep(intervalMs);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((onA.arrivals.size() < total || onB.arrivals.size() < total) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            System.out.println();
            System.out.println("Cross-node SSE latency, " + points + " points after " + warmup + " warm-up, one every " + intervalMs
                    + " ms, posted to node B");
            System.out.println("- date: " + Instant.now() + ", machine: " + Bench.machine());
            System.out.println("- load average (1, 5, 15 min) before: " + loadBefore + ", after: " + CpuMeter.loadAverage());
            System.out.println("- logs: " + dir);
            System.out.println();
            System.out.println("| stream | from | p50 | p95 | p99 | max | missing |");
            System.out.println("|---|---|---|---|---|---|---|");
            row("on A (the other node)", "B's 200", onA, acknowledged, warmup, total);
            row("on A (the other node)", "sending the POST", onA, sent, warmup, total);
            row("on B (the same node)", "B's 200", onB, acknowledged, warmup, total);
            row("on B (the same node)", "sending the POST", onB, sent, warmup, total);
        } finally {
            onA.close();
            onB.close();
            a.stop();
            b.stop();
        }
        System.exit(0);
    }

    private static void row(String stream, String from, Follower follower, long[] start, int warmup, int total) {
        var latencies = new ArrayList<Double>();
        int missing = 0;
        for (int step = warmup; step < total; step++) {
            Long arrived = follower.arrivals.get((long) step);
            if (arrived == null) {
                missing++;
            } else {
                latencies.add((arrived - start[step]) / 1e6);
            }
        }
        System.out.printf("| %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d |%n", stream, from, Stats.percentile(latencies, 50),
                Stats.percentile(latencies, 95), Stats.percentile(latencies, 99), Stats.max(latencies), missing);
    }
}

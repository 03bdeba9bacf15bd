package dev.trainyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Issue #17's long-logging bench: clients each post one point per request to a run of their own, as a
 * script logging every step does, against the packaged jar on embedded H2 with a fresh data dir. It
 * prints the data dir's size as the acknowledged count passes each checkpoint, the throughput and
 * latency of each stretch, and the size after a clean stop; then it checks that every acknowledged point
 * is stored. Not a test.
 *
 * <pre>
 * ./mvnw -q -Pbench package -DskipTests   # the jar and target/bench-classes
 * java -cp target/bench-classes:target/test-classes:$(cat cp.txt) dev.trainyard.bench.SinglePointBench \
 *      requests=1000000 clients=8 [jar=target/trainyard-0.1.0-SNAPSHOT.jar] [props="-Dkey=value ..."]
 * </pre>
 */
public final class SinglePointBench {

    private static final long[] CHECKPOINTS = {10_000, 100_000, 500_000, 1_000_000, 2_000_000, 5_000_000};

    private SinglePointBench() {
    }

    public static void main(String[] args) throws Exception {
        long requests = Long.parseLong(arg(args, "requests", "1000000"));
        int clients = Integer.parseInt(arg(args, "clients", "8"));
        Path jar = Path.of(arg(args, "jar", "target/trainyard-0.1.0-SNAPSHOT.jar"));
        String props = arg(args, "props", "");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = Path.of("target/bench-data/single-" + stamp).toAbsolutePath();
        var server = new ServerProcess(jar, dir, List.of(),
                props.isBlank() ? List.of() : List.of(props.trim().split("\\s+")));
        server.launch();
        try {
            System.out.printf("server healthy after %.0f ms; data dir %s; load average %s%n",
                    server.awaitHealthy(Duration.ofMinutes(3)), dir, loadAverage());
            run(server, dir.resolve("data"), requests, clients);
        } finally {
            long[] stop = server.stop();
            System.out.printf("stopped in %d ms (exit %d); data dir after the stop: %s%n", stop[0], stop[1],
                    megabytes(size(dir.resolve("data"))));
        }
    }

    private static void run(ServerProcess server, Path data, long requests, int clients) throws Exception {
        var http = new BenchHttp(server.baseUrl());
        var runs = new ArrayList<String>();
        for (int c = 0; c < clients; c++) {
            runs.add(http.createRun("{\"project\":\"single-point\",\"name\":\"client-" + c + "\"}"));
        }
        var acknowledged = new AtomicLong();
        var perClient = new long[clients];
        var latencies = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        var futures = new ArrayList<Future<?>>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                var own = new BenchHttp(server.baseUrl());
                String path = "/api/v1/runs/" + runs.get(client) + "/metrics";
                for (long step = 0; acknowledged.get() < requests; step++) {
                    BenchHttp.Reply reply = own.post(path, "{\"points\":[{\"key\":\"loss\",\"step\":" + step
                            + ",\"value\":" + (1.0 / (step + 1)) + "}]}");
                    if (reply.status() != 200) {
                        throw new BenchHttp.ApiFailure("POST " + path + " step " + step, reply);
                    }
                    latencies.add(reply.nanos());
                    perClient[client] = step + 1;
                    acknowledged.incrementAndGet();
                }
                return null;
            }));
        }
        int next = 0;
        long stretchStart = started;
        long stretchFrom = 0;
        long largest = 0;
        System.out.println("| acknowledged | data dir | largest so far | requests/s (stretch) | p50 / p99 ms (stretch) | load average |");
        System.out.println("|---|---|---|---|---|---|");
        while (futures.stream().anyMatch(f -> !f.isDone())) {
            Thread.sleep(200);
            long now = acknowledged.get();
            largest = Math.max(largest, size(data));
            if (next < CHECKPOINTS.length && now >= CHECKPOINTS[next] && CHECKPOINTS[next] <= requests) {
                long t = System.nanoTime();
                double[] pct = latencies.drain();
                System.out.printf("| %,d | %s | %s | %,.0f | %.2f / %.2f | %s |%n", now, megabytes(size(data)), megabytes(largest),
                        (now - stretchFrom) / ((t - stretchStart) / 1e9), pct[0], pct[1], loadAverage());
                stretchStart = t;
                stretchFrom = now;
                next++;
            }
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%,d acknowledged in %.0f s = %,.0f requests/s overall; largest data dir %s; at the end %s%n",
                acknowledged.get(), seconds, acknowledged.get() / seconds, megabytes(largest), megabytes(size(data)));
        long lost = 0;
        for (int c = 0; c < clients; c++) {
            long stored = http.getJson("/api/v1/runs/" + runs.get(c) + "/metrics").get(0).get("count").asLong();
            lost += Math.max(0, perClient[c] - stored);
        }
        System.out.println("acknowledged points missing from the store: " + lost);
    }

    /** Latencies of the current stretch; {@link #drain} gives its p50 and p99 and starts the next one. */
    private static final class Latencies {
        private List<Long> nanos = new ArrayList<>();

        synchronized void add(long n) {
            nanos.add(n);
        }

        synchronized double[] drain() {
            List<Double> ms = nanos.stream().map(n -> n / 1e6).toList();
            nanos = new ArrayList<>();
            return ms.isEmpty() ? new double[] {Double.NaN, Double.NaN}
                    : new double[] {Stats.percentile(ms, 50), Stats.percentile(ms, 99)};
        }
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + ", " + parts[1] + ", " + parts[2];
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}

package dev.trainyard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.trainyard.bench.Report.Outcome;
import tools.jackson.databind.JsonNode;

/**
 * Trainyard's benchmark harness. Not a test (no assertions, not run by surefire): run it with
 * {@code ./mvnw -Pbench verify -DskipTests}, which packages the fat jar and then runs this main.
 *
 * <ol>
 * <li>Start-up: {@code java -jar target/trainyard-*.jar} as a child process with a fresh data dir (H2 file
 * mode) on a free port, launch until {@code /actuator/health} is UP.</li>
 * <li>Batch ingest: 4 external runs, 4 client threads posting 10,000-point batches for 20 s after a warm-up;
 * points/s, per-request p50/p99, then stored counts against acknowledged ones.</li>
 * <li>History: a 1,000,000-point series, then {@code GET .../metrics/loss?maxPoints=1000}: cold, median, p95.</li>
 * <li>Training: a default seed-rnn job (1000 epochs): wall time, ms/epoch, the stored epoch_ms median, the
 * generated text.</li>
 * <li>SIGTERM to the server. Then, when PostgreSQL answers, the same jar again on a fresh PostgreSQL database:
 * start-up and the same batch ingest; the database is dropped afterwards.</li>
 * <li>The PyTorch reference script on the same machine and the ratios; a Markdown table on stdout and in
 * docs/BENCHMARKS.md.</li>
 * </ol>
 *
 * Knobs are system properties, see {@link Config}. Exit status 1 means something broke (a server error,
 * lost or doubled points, a failed job), not that a target was missed.
 */
public final class Bench {

    static final String SENTENCE = "hello pytorch. how long can a rnn cell remember?";
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    /** Settings, from system properties {@code bench.*}. */
    record Config(Path projectDir, Path jar, Path torchScript, String python, int warmupSeconds, int ingestSeconds,
            int ingestThreads, int batchPoints, int historyPoints, int historyCalls, int threadsPerJob, List<String> serverJvmArgs,
            List<String> serverProps, Path docs, boolean writeDocs, Set<String> skip, String command, int trainTimeoutSeconds,
            String postgres, String postgresUrl) {

        static Config fromSystemProperties() throws IOException {
            Path project = Path.of(prop("bench.projectDir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
            String jarProp = prop("bench.jar", "");
            Path jar = jarProp.isBlank() ? findJar(project.resolve("target")) : Path.of(jarProp);
            String script = prop("bench.torchScript", "../shared/bench/torch_reference.py");
            return new Config(project, jar, project.resolve(script).normalize(), prop("bench.python", "/usr/bin/python3"),
                    intProp("bench.warmupSeconds", 3), intProp("bench.ingestSeconds", 20), intProp("bench.ingestThreads", 4),
                    intProp("bench.batchPoints", 10_000), intProp("bench.historyPoints", 1_000_000),
                    intProp("bench.historyCalls", 200), intProp("bench.threadsPerJob", 1), words(prop("bench.serverJvmArgs", "")),
                    words(prop("bench.serverProps", "")), project.resolve(prop("bench.docs", "docs/BENCHMARKS.md")),
                    Boolean.parseBoolean(prop("bench.writeDocs", "true")),
                    Set.copyOf(words(prop("bench.skip", "").replace(',', ' '))),
                    prop("bench.command", "./mvnw -Pbench verify -DskipTests"), intProp("bench.trainTimeoutSeconds", 1800),
                    prop("bench.postgres", "auto"), prop("bench.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));
        }

        static Path findJar(Path target) throws IOException {
            try (var files = Files.list(target)) {
                return files.filter(p -> p.getFileName().toString().matches("trainyard-.*\\.jar"))
                        .filter(p -> !p.getFileName().toString().endsWith("-client.jar")).findFirst() // the server, not an old client jar
                        .orElseThrow(() -> new IllegalStateException("no target/trainyard-*.jar: run ./mvnw package first"));
            }
        }

        static String prop(String name, String fallback) {
            String v = System.getProperty(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        static int intProp(String name, int fallback) {
            return Integer.parseInt(prop(name, Integer.toString(fallback)));
        }

        static List<String> words(String s) {
            return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
        }
    }

    /** Batch ingest targets, points/s; PostgreSQL's is issue #6's. */
    static final double H2_INGEST_TARGET = 250_000;
    static final double POSTGRES_INGEST_TARGET = 100_000;

    private final Config cfg;
    private final Report report = new Report();
    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<String> serverProps = new ArrayList<>();
    private Path runDir;
    private BenchHttp http;
    private CpuMeter cpu;
    private ServerProcess server;

    private Bench(Config cfg) {
        this.cfg = cfg;
    }

    public static void main(String[] args) throws Exception {
        Config cfg = Config.fromSystemProperties();
        int status = new Bench(cfg).run();
        System.exit(status);
    }

    private int run() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        runDir = cfg.projectDir().resolve("target/bench-data").resolve(stamp);
        serverProps.add("-Dtrainyard.workers.threads-per-job=" + cfg.threadsPerJob());
        serverProps.addAll(cfg.serverProps());
        server = new ServerProcess(cfg.jar(), runDir, cfg.serverJvmArgs(), serverProps);
        servers.add(server);

        report.commands.put("A", cfg.command());
        recordConditions(report, cfg.projectDir());
        report.conditions.put("Server", "`" + cfg.projectDir().relativize(cfg.jar().toAbsolutePath()) + "` run as `java "
                + String.join(" ", cfg.serverJvmArgs()) + (cfg.serverJvmArgs().isEmpty() ? "" : " ")
                + String.join(" ", serverProps) + " -jar …` (Java " + System.getProperty("java.version")
                + ", default heap), embedded H2 in file mode, fresh data dir, `trainyard.workers.count` default (1)");
        report.conditions.put("Client", "the bench JVM on the same machine, JDK HttpClient over HTTP/1.1 on loopback; "
                + "client and server share the same " + Runtime.getRuntime().availableProcessors() + " cores");
        log("server log: " + server.log);

        try {
            startup("", null);
            if (!cfg.skip().contains("ingest")) {
                phase("Batch ingest on H2", () -> ingest("H2", H2_INGEST_TARGET));
            }
            if (!cfg.skip().contains("history")) {
                phase("History", () -> history(""));
            }
            TrainingFigures training = cfg.skip().contains("train") ? null : train();
            stopServer("");
            if (!cfg.skip().contains("postgres")) {
                phase("PostgreSQL", () -> onPostgres(stamp));
            }
            if (!cfg.skip().contains("torch")) {
                phase("PyTorch reference", () -> torch(training));
            }
        } catch (Exception e) {
            report.error("Bench", e.toString(), "A");
            e.printStackTrace();
        } finally {
            stopServer("");
            if (!Boolean.getBoolean("bench.keepData")) {
                servers.forEach(s -> deleteTree(s.dataDir.resolve("data"))); // H2 file and models: ~1 GB a run; the log stays
            }
        }
        servers.forEach(s -> report.noteLogErrors(cfg.projectDir(), s));
        return report.finish("Trainyard bench results", cfg.writeDocs(), cfg.docs());
    }

    interface Phase {
        void run() throws Exception;
    }

    private void phase(String name, Phase phase) {
        try {
            phase.run();
        } catch (Exception e) {
            report.error(name, e.getMessage() == null ? e.toString() : e.getMessage(), "A");
            e.printStackTrace();
        }
    }

    // ---------------------------------------------------------------- 1. start-up

    /**
     * Launches {@link #server}; {@code where} tells its rows apart (empty for the H2 server), and
     * {@code databasePids}, when the database is a separate server, finds that server's processes.
     */
    private void startup(String where, Supplier<List<Long>> databasePids) throws Exception {
        log("launching " + String.join(" ", server.command));
        server.launch();
        double ms = server.awaitHealthy(Duration.ofMinutes(3));
        double[] started = server.startedLine();
        http = new BenchHttp(server.baseUrl());
        cpu = new CpuMeter(server.pid(), databasePids);
        log(String.format("healthy after %.0f ms (Spring: started in %.3f s, process running for %.3f s)", ms, started[0],
                started[1]));
        report.info("Start-up" + where + ": launch → /actuator/health UP", String.format("%.2f s", ms / 1000), "A");
        report.info("Start-up" + where + ": Spring's \"Started TrainyardApplication in\"",
                Double.isNaN(started[0]) ? "line not found" : String.format("%.3f s (process running for %.3f s)", started[0],
                        started[1]), "A");
    }

    // ---------------------------------------------------------------- 2. batch ingest

    /** One client thread's own run and where its next batch starts. */
    private static final class Lane {
        final String runId;
        long nextStep;
        long acked;
        final List<Double> latencies = new ArrayList<>();
        long requests;
        long errors;
        long buildNanos;
        final List<String> errorSamples = new ArrayList<>();

        Lane(String runId) {
            this.runId = runId;
        }
    }

    /** The ingest phase against {@link #server}, whose database is {@code store}. */
    private void ingest(String store, double target) throws Exception {
        String phase = "Batch ingest on " + store;
        int threads = cfg.ingestThreads();
        var lanes = new ArrayList<Lane>();
        for (int i = 0; i < threads; i++) {
            lanes.add(new Lane(http.createRun("{\"project\":\"bench\",\"name\":\"ingest-" + i + "\"}")));
        }
        BatchBody body = new BatchBody("loss");
        for (int i = 0; i < 30; i++) {
            body.build(i * 10_000L, cfg.batchPoints()); // JIT-warm the body builder before anything is timed
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            log("ingest warm-up " + cfg.warmupSeconds() + " s");
            ingestFor(pool, lanes, body, cfg.warmupSeconds());
            long warmAcked = lanes.stream().mapToLong(l -> l.acked).sum();
            long warmErrors = lanes.stream().mapToLong(l -> l.errors).sum();
            for (Lane l : lanes) {
                l.latencies.clear();
                l.requests = 0;
                l.buildNanos = 0;
            }
            long before = lanes.stream().mapToLong(l -> l.acked).sum();
            log("ingest measured " + cfg.ingestSeconds() + " s with " + threads + " threads");
            var cpuAt = cpu.snapshot();
            double wall = ingestFor(pool, lanes, body, cfg.ingestSeconds());
            CpuMeter.Usage usage = cpu.since(cpuAt);
            long acked = lanes.stream().mapToLong(l -> l.acked).sum() - before;
            long errors = lanes.stream().mapToLong(l -> l.errors).sum() - warmErrors;
            long requests = lanes.stream().mapToLong(l -> l.requests).sum();
            var latencies = new ArrayList<Double>();
            lanes.forEach(l -> latencies.addAll(l.latencies));
            double buildMs = lanes.stream().mapToLong(l -> l.buildNanos).sum() / 1e6;
            double rate = acked / wall;
            report.recordLoad(phase.toLowerCase(Locale.ROOT), usage, 0);
            log(String.format(store + " ingest: %d points in %.2f s = %.0f points/s, %d requests, %d errors; %s", acked, wall, rate,
                    requests, errors, usage.describe()));

            report.atLeast(phase + ": points/s (" + threads + " threads × " + cfg.batchPoints() + "-point batches, "
                    + cfg.ingestSeconds() + " s)", rate, target, "", "%,.0f", "A");
            report.info(phase + ": per-request latency p50 / p99 / max",
                    String.format("%.0f / %.0f / %.0f ms (%d requests)", Stats.median(latencies), Stats.percentile(latencies, 99),
                            Stats.max(latencies), requests), "A");
            double millions = acked / 1e6;
            report.info(phase + (usage.separateDatabase() ? ": server and PostgreSQL CPU per 1M points" : ": server CPU per 1M points"),
                    usage.separateDatabase()
                    ? String.format("%.2f CPU-s in the server + %.2f in PostgreSQL (server used %.2f and PostgreSQL %.2f of %d cores; "
                            + "client %.2f; others %.2f)", usage.serverCores() * usage.seconds() / millions,
                            usage.databaseCores() * usage.seconds() / millions, usage.serverCores(), usage.databaseCores(),
                            Runtime.getRuntime().availableProcessors(), usage.clientCores(), usage.otherCores())
                    : String.format("%.2f CPU-s (server used %.2f of %d cores; client %.2f; others %.2f)",
                            usage.serverCores() * usage.seconds() / millions, usage.serverCores(),
                            Runtime.getRuntime().availableProcessors(), usage.clientCores(), usage.otherCores()), "A");
            report.note(String.format(phase + ", client cost: building the %d request bodies took %.0f ms of client CPU in total "
                    + "(%.2f ms CPU per %d-point body); the client JVM's whole share (body building, HTTP on loopback) was %.2f cores, "
                    + "so the client is not what limits this figure.", requests, buildMs, buildMs / Math.max(1, requests),
                    cfg.batchPoints(), usage.clientCores()));
            if (errors + warmErrors > 0) {
                report.broken = true;
                var samples = new ArrayList<String>();
                lanes.forEach(l -> samples.addAll(l.errorSamples));
                report.note(phase + ": " + (errors + warmErrors) + " requests failed. Samples: "
                        + String.join(" / ", samples.subList(0, Math.min(3, samples.size()))));
            }

            // Stored against acknowledged, warm-up included.
            long lost = 0;
            long doubled = 0;
            long stored = 0;
            var problems = new ArrayList<String>();
            var summaryMs = new ArrayList<Double>();
            for (Lane l : lanes) {
                long k0 = System.nanoTime();
                JsonNode keys = http.getJson("/api/v1/runs/" + l.runId + "/metrics");
                summaryMs.add((System.nanoTime() - k0) / 1e6);
                long count = 0;
                long lastStep = -1;
                for (JsonNode k : keys) {
                    if ("loss".equals(k.get("key").asString())) {
                        count = k.get("count").asLong();
                        lastStep = k.get("lastStep").asLong();
                    }
                }
                stored += count;
                lost += Math.max(0, l.acked - count);
                doubled += Math.max(0, count - l.acked);
                if (count != l.acked || (l.acked > 0 && lastStep != l.nextStep - 1)) {
                    problems.add(String.format("run %s: acknowledged %d (steps 0..%d), stored count %d, lastStep %d", l.runId,
                            l.acked, l.nextStep - 1, count, lastStep));
                }
            }
            long totalAcked = lanes.stream().mapToLong(l -> l.acked).sum();
            report.add(phase + ": stored vs acknowledged (warm-up included)",
                    String.format("%,d stored / %,d acknowledged: %d lost, %d doubled", stored, totalAcked, lost, doubled),
                    "0 lost, 0 doubled", lost == 0 && doubled == 0 ? Outcome.PASS : Outcome.ERROR, "A");
            report.info("Key summary `GET /runs/{id}/metrics` on the " + store + " ingest runs (" + String.format("%,d", totalAcked / threads)
                    + " points each)", String.format("%.0f ms median, %.0f ms max", Stats.median(summaryMs), Stats.max(summaryMs)), "A");
            if (!problems.isEmpty()) {
                report.broken = true;
                report.note(phase + ", verification mismatch: " + String.join("; ", problems));
            }
            log(String.format(store + " ingest verify: stored %d, acknowledged %d (warm-up %d), lost %d, doubled %d", stored, totalAcked,
                    warmAcked, lost, doubled));
        } finally {
            pool.shutdownNow();
        }
    }

    /** All lanes post back to back until the deadline; returns wall seconds until the last one finished. */
    private double ingestFor(ExecutorService pool, List<Lane> lanes, BatchBody body, int seconds) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        var futures = new ArrayList<Future<?>>();
        for (Lane lane : lanes) {
            futures.add(pool.submit(() -> {
                int consecutiveErrors = 0;
                String path = "/api/v1/runs/" + lane.runId + "/metrics";
                while (System.nanoTime() < deadline && consecutiveErrors < 5) {
                    long b0 = THREADS.getCurrentThreadCpuTime();
                    byte[] json = body.build(lane.nextStep, cfg.batchPoints());
                    lane.buildNanos += THREADS.getCurrentThreadCpuTime() - b0;
                    lane.requests++;
                    try {
                        BenchHttp.Reply r = http.post(path, json);
                        Matcher m = ACCEPTED.matcher(r.body());
                        if (r.status() == 200 && m.find() && Long.parseLong(m.group(1)) == cfg.batchPoints()) {
                            lane.acked += cfg.batchPoints();
                            lane.nextStep += cfg.batchPoints();
                            lane.latencies.add(r.millis());
                            consecutiveErrors = 0;
                        } else {
                            // Not acknowledged: the same steps are sent again (idempotent), so a batch that
                            // committed without a reply cannot show up as doubled.
                            lane.errors++;
                            consecutiveErrors++;
                            lane.errorSamples.add("POST " + path + " (steps " + lane.nextStep + "..) -> HTTP " + r.status() + " "
                                    + BenchHttp.abbreviate(r.body(), 300));
                        }
                    } catch (IOException e) {
                        lane.errors++;
                        consecutiveErrors++;
                        lane.errorSamples.add("POST " + path + " -> " + e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    // ---------------------------------------------------------------- 2b. batch ingest on PostgreSQL

    /**
     * The same jar on a database of its own on the PostgreSQL server ({@code bench.postgres}: auto, the
     * default, runs this when the server answers), start-up, batch ingest and history, then the database is dropped.
     */
    private void onPostgres(String stamp) throws Exception {
        String name = "Batch ingest on PostgreSQL: points/s";
        String target = String.format("≥ %,.0f", POSTGRES_INGEST_TARGET);
        var pg = new BenchPostgres(cfg.postgresUrl(), "postgres");
        if ("false".equals(cfg.postgres())) {
            report.add(name, "skipped: bench.postgres=false", target, Outcome.SKIPPED, "A");
            return;
        }
        if (!pg.reachable()) {
            if ("true".equals(cfg.postgres())) {
                report.error("PostgreSQL", "bench.postgres=true but no PostgreSQL answers at " + cfg.postgresUrl(), "A");
            } else {
                report.add(name, "skipped: no PostgreSQL at " + cfg.postgresUrl(), target, Outcome.SKIPPED, "A");
            }
            return;
        }
        String database = "trainyard_bench_" + stamp.replace('-', '_');
        String url = pg.create(database);
        try {
            report.conditions.put("Server on PostgreSQL", "the same jar and flags with `SPRING_DATASOURCE_URL=" + url
                    + "` (a database created for the run and dropped after it), user postgres; " + pg.describe()
                    + " on the same machine. Its backends, WAL writer, checkpointer and background writer count as PostgreSQL's CPU");
            server = new ServerProcess(cfg.jar(), runDir.resolve("postgres"), cfg.serverJvmArgs(), serverProps,
                    Map.of("SPRING_DATASOURCE_URL", url, "SPRING_DATASOURCE_USERNAME", "postgres", "SPRING_DATASOURCE_PASSWORD", ""));
            servers.add(server);
            log("PostgreSQL database " + database + "; server log: " + server.log);
            startup(" on PostgreSQL", () -> pg.processes(database));
            if (!cfg.skip().contains("ingest")) {
                phase("Batch ingest on PostgreSQL", () -> ingest("PostgreSQL", POSTGRES_INGEST_TARGET));
            }
            if (!cfg.skip().contains("history")) {
                phase("History on PostgreSQL", () -> history(" on PostgreSQL"));
            }
        } finally {
            stopServer(" on PostgreSQL");
            pg.drop(database);
            log("dropped PostgreSQL database " + database);
        }
    }

    // ---------------------------------------------------------------- 3. history

    /** {@code where} names the database in each figure's label: empty for H2, as the figures were always named. */
    private void history(String where) throws Exception {
        int n = cfg.historyPoints();
        String runId = http.createRun("{\"project\":\"bench\",\"name\":\"history-" + n + "\"}");
        BatchBody body = new BatchBody("loss");
        log("history" + where + ": ingesting " + n + " points in " + cfg.batchPoints() + "-point batches (one client thread)");
        long t0 = System.nanoTime();
        for (long step = 0; step < n; step += cfg.batchPoints()) {
            int size = (int) Math.min(cfg.batchPoints(), n - step);
            BenchHttp.Reply r = http.post("/api/v1/runs/" + runId + "/metrics", body.build(step, size));
            if (r.status() != 200) {
                throw new BenchHttp.ApiFailure("POST /api/v1/runs/" + runId + "/metrics (steps " + step + "..)", r);
            }
        }
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        report.info("History" + where + ": ingest of the " + String.format("%,d", n) + "-point series (1 client thread)",
                String.format("%.1f s (%,.0f points/s)", ingestSeconds, n / ingestSeconds), "A");

        String path = "/api/v1/runs/" + runId + "/metrics/loss?maxPoints=1000";
        var cpuAt = cpu.snapshot();
        BenchHttp.Reply cold = http.get(path);
        if (!cold.ok()) {
            throw new BenchHttp.ApiFailure("GET " + path, cold);
        }
        JsonNode h = BenchHttp.JSON.readTree(cold.body());
        JsonNode points = h.get("points");
        long total = h.get("total").asLong();
        long firstStep = points.get(0).get("step").asLong();
        long lastStep = points.get(points.size() - 1).get("step").asLong();
        boolean shapeOk = total == n && points.size() <= 1000 && firstStep == 0 && lastStep == n - 1;
        if (!shapeOk) {
            report.broken = true;
            report.note(String.format("History answer looks wrong: total %d (expected %d), %d points (≤ 1000 expected), "
                    + "first step %d, last step %d", total, n, points.size(), firstStep, lastStep));
        }
        var samples = new ArrayList<Double>();
        for (int i = 0; i < cfg.historyCalls(); i++) {
            BenchHttp.Reply r = http.get(path);
            if (!r.ok()) {
                throw new BenchHttp.ApiFailure("GET " + path + " (call " + (i + 2) + ")", r);
            }
            samples.add(r.millis());
        }
        CpuMeter.Usage usage = cpu.since(cpuAt);
        report.recordLoad("history queries" + where, usage, 0);
        var summaryMs = new ArrayList<Double>();
        for (int i = 0; i < 5; i++) {
            BenchHttp.Reply r = http.get("/api/v1/runs/" + runId + "/metrics");
            if (!r.ok()) {
                throw new BenchHttp.ApiFailure("GET /api/v1/runs/" + runId + "/metrics", r);
            }
            summaryMs.add(r.millis());
        }
        log(String.format("history" + where + ": cold %.1f ms, median %.2f ms, p95 %.2f ms, %d points returned, %d bytes", cold.millis(),
                Stats.median(samples), Stats.percentile(samples, 95), points.size(), cold.body().length()));
        report.info("History" + where + ": first (cold) `GET …/metrics/loss?maxPoints=1000` on " + String.format("%,d", n) + " points",
                String.format("%.0f ms", cold.millis()), "A");
        report.atMost("History" + where + ": median of " + samples.size() + " further calls", Stats.median(samples), 50, " ms", "%.1f", "A");
        report.info("History" + where + ": p95 / max of those calls",
                String.format("%.1f / %.1f ms (answer: %d points, %,d bytes, total=%,d)", Stats.percentile(samples, 95),
                        Stats.max(samples), points.size(), cold.body().length(), total), "A");
        report.info("Key summary" + where + " `GET /runs/{id}/metrics` on the " + String.format("%,d", n) + "-point run (5 calls)",
                String.format("%.0f ms median, first %.0f ms", Stats.median(summaryMs), summaryMs.get(0)), "A");
    }

    // ---------------------------------------------------------------- 4. training

    record TrainingFigures(double wallMsPerEpoch, double epochMsMedian) {
    }

    private TrainingFigures train() {
        try {
            var cpuAt = cpu.snapshot();
            JsonNode created = http.postJson("/api/v1/runs", "{\"project\":\"bench\",\"name\":\"seed-rnn\",\"job\":{\"model\":\"seed-rnn\"}}");
            String id = created.get("id").asString();
            log("training: job run " + id + " queued, polling");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cfg.trainTimeoutSeconds());
            JsonNode run;
            String state;
            long lastLog = 0;
            while (true) {
                run = http.getJson("/api/v1/runs/" + id);
                state = run.get("state").asString();
                if (Set.of("FINISHED", "FAILED", "CANCELLED", "CRASHED").contains(state)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + id + " still " + state + " after " + cfg.trainTimeoutSeconds()
                            + " s: " + BenchHttp.abbreviate(run.toString(), 500));
                }
                if (System.nanoTime() - lastLog > 10e9) {
                    lastLog = System.nanoTime();
                    JsonNode job = run.get("job");
                    log("training: " + state + (job != null && job.get("progress") != null ? " " + job.get("progress") : ""));
                }
                Thread.sleep(200);
            }
            CpuMeter.Usage usage = cpu.since(cpuAt);
            report.recordLoad("training (queue to FINISHED)", usage, 0);
            if (!"FINISHED".equals(state)) {
                report.error("Training", "job " + id + " ended " + state + ": " + BenchHttp.abbreviate(run.toString(), 800)
                        + "\n server log tail: `" + BenchHttp.abbreviate(server.tail(15), 1500) + "`", "A");
                return null;
            }
            Instant created0 = Instant.parse(run.get("createdAt").asString());
            Instant started = Instant.parse(run.get("startedAt").asString());
            Instant ended = Instant.parse(run.get("endedAt").asString());
            int epochs = run.get("job").has("steps") ? run.get("job").get("steps").asInt() : 1000;
            double wallMs = Duration.between(started, ended).toNanos() / 1e6;
            double wallPerEpoch = wallMs / epochs;

            JsonNode epochMs = http.getJson("/api/v1/runs/" + id + "/metrics/epoch_ms?maxPoints=100000");
            var values = new ArrayList<Double>();
            for (JsonNode p : epochMs.get("points")) {
                values.add(p.get("value").asDouble());
            }
            double median = Stats.median(values);
            double meanAfter100 = Stats.mean(values.size() > 100 ? values.subList(100, values.size()) : values);
            if (values.size() != epochs) {
                report.note("Training: the epoch_ms series holds " + values.size() + " points for " + epochs + " epochs.");
            }
            JsonNode summary = run.get("summary");
            String lossNote = summary != null && summary.has("loss") ? String.format(", final loss %.5f", summary.get("loss").asDouble()) : "";

            long g0 = System.nanoTime();
            BenchHttp.Reply gen = http.post("/api/v1/runs/" + id + "/generate", "{}");
            double genMs = (System.nanoTime() - g0) / 1e6;
            String text = gen.ok() ? BenchHttp.JSON.readTree(gen.body()).get("text").asString() : null;

            log(String.format("training: %d epochs in %.1f s (%.2f ms/epoch by wall; epoch_ms median %.2f), queue wait %d ms, "
                    + "generated %s", epochs, wallMs / 1000, wallPerEpoch, median,
                    Duration.between(created0, started).toMillis(), text));
            report.info("Training (seed-rnn, " + epochs + " epochs, threads-per-job=" + cfg.threadsPerJob() + "): job wall time "
                    + "endedAt − startedAt", String.format("%.2f s (queued → started %d ms%s)", wallMs / 1000,
                    Duration.between(created0, started).toMillis(), lossNote), "A");
            report.info("Training: ms/epoch by wall time (wall / " + epochs + ")", String.format("%.2f ms", wallPerEpoch), "A");
            report.info("Training: median of stored `epoch_ms` (" + values.size() + " epochs)", String.format("%.2f ms", median), "A");
            report.info("Training: `epoch_ms` p10 / p90 / max; mean; mean after epoch 100",
                    String.format("%.2f / %.2f / %.1f ms; %.2f ms; %.2f ms", Stats.percentile(values, 10),
                            Stats.percentile(values, 90), Stats.max(values), Stats.mean(values), meanAfter100), "A");
            report.info("Training: per-epoch time outside `epoch_ms` (wall/epoch − mean epoch_ms: recording metrics and "
                    + "progress, job start-up incl. ND4J init)", String.format("%.2f ms", wallPerEpoch - Stats.mean(values)), "A");
            if (gen.ok()) {
                report.add("Training: `POST /generate {}` text", "\"" + text + "\" (" + String.format("%.0f ms", genMs) + ")",
                        "= \"" + SENTENCE + "\"", SENTENCE.equals(text) ? Outcome.PASS : Outcome.MISS, "A");
            } else {
                report.error("Training: generate", "POST /api/v1/runs/" + id + "/generate {} -> HTTP " + gen.status() + " "
                        + BenchHttp.abbreviate(gen.body(), 500), "A");
            }
            return new TrainingFigures(wallPerEpoch, median);
        } catch (Exception e) {
            report.error("Training", e.getMessage() == null ? e.toString() : e.getMessage(), "A");
            e.printStackTrace();
            return null;
        }
    }

    private void torch(TrainingFigures trainyard) throws Exception {
        String name = "PyTorch reference `seed`: ms/epoch";
        Path script = cfg.torchScript();
        String cmd = cfg.python() + " " + script + " seed --threads " + cfg.threadsPerJob();
        report.commands.put("B", cmd);
        if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(cfg.python()))
                || sh(cfg.python(), "-c", "import torch").isEmpty()) {
            String why = !Files.isRegularFile(script) ? "no script at " + script
                    : !Files.isExecutable(Path.of(cfg.python())) ? "no " + cfg.python() : "PyTorch is not importable by " + cfg.python();
            report.add(name, "skipped: " + why, "-", Outcome.SKIPPED, "B");
            report.add("Ratio Trainyard ÷ PyTorch ms/epoch", "skipped: " + why, "≤ 1.0", Outcome.SKIPPED, "A+B");
            return;
        }
        log("torch reference: " + cmd);
        long before = System.nanoTime();
        var cpuAt = cpu.snapshot();
        Process p = new ProcessBuilder(cfg.python(), script.toString(), "seed", "--threads", Integer.toString(cfg.threadsPerJob()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(30, TimeUnit.MINUTES);
        CpuMeter.Usage usage = cpu.since(cpuAt);
        report.recordLoad("the PyTorch reference (server stopped; the script's own ~1 core counts as other)", usage, 1.0);
        log("torch reference output (" + (System.nanoTime() - before) / 1_000_000 + " ms): " + out.trim());
        Matcher m = Pattern.compile("ms/epoch=([0-9.]+)").matcher(out);
        if (!done || p.exitValue() != 0 || !m.find()) {
            report.add(name, "failed: " + BenchHttp.abbreviate(out, 300), "-", Outcome.ERROR, "B");
            return;
        }
        double torchMs = Double.parseDouble(m.group(1));
        Matcher exact = Pattern.compile("exact=(\\w+)").matcher(out);
        Matcher generated = Pattern.compile("generated=('[^']*'|\"[^\"]*\")").matcher(out);
        report.info(name, String.format("%.2f ms (generated %s, exact=%s)", torchMs,
                generated.find() ? generated.group(1) : "?", exact.find() ? exact.group(1) : "?"), "B");
        if (trainyard == null) {
            report.add("Ratio Trainyard ÷ PyTorch ms/epoch", "n/a: the Trainyard job did not finish", "≤ 1.0", Outcome.ERROR, "A+B");
            return;
        }
        report.atMost("Ratio Trainyard ÷ PyTorch ms/epoch, by job wall time (includes recording each epoch's metrics and progress)",
                trainyard.wallMsPerEpoch() / torchMs, 1.0, "", "%.2f", "A+B");
        report.atMost("Ratio Trainyard ÷ PyTorch ms/epoch, by median `epoch_ms`", trainyard.epochMsMedian() / torchMs, 1.0, "",
                "%.2f", "A+B");
    }

    // ---------------------------------------------------------------- helpers

    private void stopServer(String where) throws InterruptedException {
        if (server == null) {
            return;
        }
        boolean wasRunning = server.isAlive();
        long[] stopped = server.stop();
        if (wasRunning) {
            log("server stopped in " + stopped[0] + " ms, exit code " + stopped[1]);
            report.info("Shutdown" + where + ": SIGTERM → process exit", String.format("%.2f s (exit code %d%s)", stopped[0] / 1000.0, stopped[1],
                    stopped[1] == 143 ? " = 128 + SIGTERM, the JVM's usual status after a graceful shutdown" : ""), "A");
        }
    }

    /** Date, machine, the code as built and the load average: the conditions every bench run records first. */
    static void recordConditions(Report report, Path projectDir) {
        report.conditions.put("Date", sh("date", "-u").orElse(Instant.now().toString()));
        report.conditions.put("Machine", machine());
        String head = sh("git", "-C", projectDir.toString(), "rev-parse", "--short", "HEAD").orElse("?");
        long dirty = sh("git", "-C", projectDir.toString(), "status", "--porcelain", "--untracked-files=no")
                .map(o -> o.lines().filter(l -> !l.isBlank()).count()).orElse(0L);
        report.conditions.put("Code", "commit " + head + (dirty > 0 ? " plus " + dirty + " uncommitted changed files (the working tree "
                + "as built)" : ""));
        report.conditions.put("Load average at start (1, 5, 15 min)", CpuMeter.loadAverage());
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log("could not delete " + root + ": " + e);
        }
    }

    static String machine() {
        String model = sh("lscpu").map(s -> s.lines().filter(l -> l.startsWith("Model name:")).findFirst()
                .map(l -> l.substring("Model name:".length()).trim()).orElse("?")).orElse("?");
        String ram = "?";
        try {
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "");
            ram = String.format("%.1f GiB", Long.parseLong(mem) / 1024.0 / 1024.0);
        } catch (IOException | RuntimeException e) {
            // leave "?"
        }
        String nproc = sh("nproc").map(String::trim).orElse(Integer.toString(Runtime.getRuntime().availableProcessors()));
        return "nproc " + nproc + ", " + model + ", RAM " + ram + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version");
    }

    /** Runs a command; its trimmed stdout if it exits 0. */
    static java.util.Optional<String> sh(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.getErrorStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? java.util.Optional.of(out.trim())
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    static void log(String message) {
        System.out.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + message);
    }
}

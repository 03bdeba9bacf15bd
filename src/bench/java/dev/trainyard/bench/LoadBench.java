package dev.trainyard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import dev.trainyard.bench.Report.Outcome;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * Issue #7's load bench: many scripts log single points and small batches while jobs train. Not a
 * test; run it with {@code ./mvnw -Pbench verify -DskipTests -Dbench.main=dev.trainyard.bench.LoadBench}.
 *
 * <ol>
 * <li>Starts the packaged jar (H2 file mode, fresh data dir) with {@code trainyard.workers.count} = the
 * number of jobs and one thread per job, then starts that many long training jobs.</li>
 * <li>Alone: the jobs train with no client load for a window; their epochs/s come from the wall time
 * stamped on each stored epoch.</li>
 * <li>Load: every client (its own external run, its own HttpClient and connection, like a separate
 * script) posts to {@code /api/v1/runs/{id}/metrics} on an open-loop schedule: a request every
 * {@code pace} ms on average (uniform 0.5–1.5 × pace), most of them one {@code loss} point, some a
 * batch of {@code acc} points. A client that falls behind its schedule sends at once, so a slow server
 * cannot lower the offered rate; latency is reported from sending and from the scheduled time.</li>
 * <li>Alone again, so the comparison averages out drift in the jobs' own speed.</li>
 * <li>The jobs are cancelled, and every client run's points are read back as CSV and compared, step by
 * step and value by value, with what got a 200.</li>
 * </ol>
 *
 * Exit status 1 means something broke (a request failed, a point was lost, doubled or changed, a job
 * failed), not that the latency target was missed.
 */
public final class LoadBench {

    static final String SINGLE_KEY = "loss";
    static final String BATCH_KEY = "acc";
    static final String BASE_COMMAND = "./mvnw -Pbench verify -DskipTests -Dbench.main=" + LoadBench.class.getName();

    /** Knobs: system property, default. The command recorded in the docs names those that differ. */
    private static final Map<String, String> KNOBS = new LinkedHashMap<>();

    static {
        KNOBS.put("bench.loadClients", "50");
        KNOBS.put("bench.loadSeconds", "60");
        KNOBS.put("bench.loadWarmupSeconds", "60");
        KNOBS.put("bench.aloneSeconds", "15");
        KNOBS.put("bench.loadPaceMs", "100");
        KNOBS.put("bench.loadBatchPercent", "20");
        KNOBS.put("bench.loadBatchMin", "10");
        KNOBS.put("bench.loadBatchMax", "50");
        KNOBS.put("bench.loadJobs", "2");
        KNOBS.put("bench.loadJob", "lstm:builtin:tales:100000");
    }

    record Config(Path projectDir, Path jar, int clients, int seconds, int warmupSeconds, int aloneSeconds, int paceMs,
            int batchPercent, int batchMin, int batchMax, int jobs, JobBench.Job job, List<String> serverJvmArgs,
            List<String> serverProps, Path docs, boolean writeDocs, boolean keepData, String command) {

        static Config fromSystemProperties() throws IOException {
            Path project = Path.of(Bench.Config.prop("bench.projectDir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
            String jarProp = Bench.Config.prop("bench.jar", "");
            Path jar = jarProp.isBlank() ? Bench.Config.findJar(project.resolve("target")) : Path.of(jarProp);
            var command = new StringBuilder(BASE_COMMAND);
            KNOBS.forEach((name, fallback) -> {
                if (!knob(name).equals(fallback)) {
                    command.append(" -D").append(name).append('=').append(knob(name));
                }
            });
            for (String shared : List.of("bench.serverJvmArgs", "bench.serverProps")) {
                if (!Bench.Config.prop(shared, "").isBlank()) {
                    command.append(" -D").append(shared).append("=\"").append(Bench.Config.prop(shared, "")).append('"');
                }
            }
            var cfg = new Config(project, jar, intKnob("bench.loadClients"), intKnob("bench.loadSeconds"),
                    intKnob("bench.loadWarmupSeconds"), intKnob("bench.aloneSeconds"), intKnob("bench.loadPaceMs"),
                    intKnob("bench.loadBatchPercent"), intKnob("bench.loadBatchMin"), intKnob("bench.loadBatchMax"),
                    intKnob("bench.loadJobs"), JobBench.Job.parse(knob("bench.loadJob")),
                    Bench.Config.words(Bench.Config.prop("bench.serverJvmArgs", "")),
                    Bench.Config.words(Bench.Config.prop("bench.serverProps", "")),
                    project.resolve(Bench.Config.prop("bench.docs", "docs/BENCHMARKS.md")),
                    Boolean.parseBoolean(Bench.Config.prop("bench.writeDocs", "true")), Boolean.getBoolean("bench.keepData"),
                    command.toString());
            if (cfg.batchMin() < 1 || cfg.batchMax() < cfg.batchMin() || cfg.paceMs() < 1 || cfg.clients() < 1) {
                throw new IllegalArgumentException("need 1 ≤ loadBatchMin ≤ loadBatchMax, loadPaceMs ≥ 1, loadClients ≥ 1");
            }
            return cfg;
        }

        private static String knob(String name) {
            return Bench.Config.prop(name, KNOBS.get(name));
        }

        private static int intKnob(String name) {
            return Integer.parseInt(knob(name));
        }

        double offeredRequestsPerSecond() {
            return clients * 1000.0 / paceMs;
        }

        double offeredPointsPerSecond() {
            double meanBatch = (batchMin + batchMax) / 2.0;
            return offeredRequestsPerSecond() * (1 - batchPercent / 100.0 + batchPercent / 100.0 * meanBatch);
        }
    }

    /** A time window on the wall clock (the clock the server stamps epochs with), and the CPU split in it. */
    record Window(long fromMillis, long toMillis, CpuMeter.Usage cpu) {
        double seconds() {
            return (toMillis - fromMillis) / 1000.0;
        }
    }

    /** One metric key of one client: the next step to send, and which steps got a 200 or no clear answer. */
    private static final class Track {
        final BatchBody body;
        final String key;
        long next;
        final BitSet acked = new BitSet();
        final BitSet unanswered = new BitSet();

        Track(String key) {
            this.key = key;
            this.body = new BatchBody(key);
        }
    }

    /**
     * One kind of request (single point or batch) in the measured window: latencies and errors of the
     * requests sent in it, throughput from the 200s that arrived in it, and how many requests due in it
     * were never sent because their client was still waiting for earlier ones at the end.
     */
    private static final class Kind {
        final List<Double> sentMs = new ArrayList<>();
        /** When each of {@code sentMs} was sent, in seconds into the measured window. */
        final List<Double> sentAtSeconds = new ArrayList<>();
        final List<Double> scheduledMs = new ArrayList<>();
        /** Send → 200 of the requests sent during the warm-up, while the JIT compiles the request path. */
        final List<Double> warmupMs = new ArrayList<>();
        long scheduled;
        long unsent;
        long errors;
        long acknowledged;
        long points;

        void addAll(Kind other) {
            sentMs.addAll(other.sentMs);
            sentAtSeconds.addAll(other.sentAtSeconds);
            scheduledMs.addAll(other.scheduledMs);
            warmupMs.addAll(other.warmupMs);
            scheduled += other.scheduled;
            unsent += other.unsent;
            errors += other.errors;
            acknowledged += other.acknowledged;
            points += other.points;
        }
    }

    /** One simulated training script: its own run, its own HTTP connection, its own schedule. */
    private final class Client {
        final String runId;
        final BenchHttp http;
        final Random random;
        final Track single = new Track(SINGLE_KEY);
        final Track batch = new Track(BATCH_KEY);
        final Kind singles = new Kind();
        final Kind batches = new Kind();
        long errors;
        final List<String> errorSamples = new ArrayList<>();

        Client(int index, String runId, String base) {
            this.runId = runId;
            this.http = new BenchHttp(base);
            this.random = new Random(index);
        }

        /**
         * Sends on schedule until {@code endNanos}. A request due while the previous one is still out
         * goes as soon as that returns; requests still due at the end are counted, not sent.
         */
        void run(long startNanos, long measureFrom, long endNanos) {
            long paceNanos = TimeUnit.MILLISECONDS.toNanos(cfg.paceMs());
            String path = "/api/v1/runs/" + runId + "/metrics";
            for (long scheduled = startNanos + (long) (random.nextDouble() * paceNanos); scheduled < endNanos;
                    scheduled += (long) (paceNanos * (0.5 + random.nextDouble()))) {
                for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                boolean isBatch = random.nextInt(100) < cfg.batchPercent();
                Kind kind = isBatch ? batches : singles;
                if (scheduled >= measureFrom) {
                    kind.scheduled++;
                }
                long sent = System.nanoTime();
                if (sent >= endNanos) {
                    if (scheduled >= measureFrom) {
                        kind.unsent++;
                    }
                    continue;
                }
                boolean measured = sent >= measureFrom;
                Track track = isBatch ? batch : single;
                int n = isBatch ? cfg.batchMin() + random.nextInt(cfg.batchMax() - cfg.batchMin() + 1) : 1;
                int first = Math.toIntExact(track.next);
                track.next += n;
                byte[] json = track.body.build(first, n);
                String failure;
                try {
                    BenchHttp.Reply r = http.post(path, json);
                    long done = System.nanoTime();
                    Matcher m = Bench.ACCEPTED.matcher(r.body());
                    if (r.status() == 200 && m.find() && Integer.parseInt(m.group(1)) == n) {
                        track.acked.set(first, first + n);
                        failure = null;
                        if (measured) {
                            kind.sentMs.add(r.millis());
                            kind.sentAtSeconds.add((sent - measureFrom) / 1e9);
                            kind.scheduledMs.add((done - scheduled) / 1e6);
                        } else {
                            kind.warmupMs.add(r.millis());
                        }
                        if (done >= measureFrom && done < endNanos) {
                            kind.acknowledged++;
                            kind.points += n;
                        }
                    } else {
                        failure = "HTTP " + r.status() + " " + BenchHttp.abbreviate(r.body(), 300);
                    }
                } catch (IOException e) {
                    failure = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (failure != null) {
                    track.unanswered.set(first, first + n);
                    errors++;
                    if (measured) {
                        kind.errors++;
                    }
                    if (errorSamples.size() < 3) {
                        errorSamples.add("POST " + path + " (" + track.key + " steps " + first + "..) -> " + failure);
                    }
                }
            }
        }
    }

    private final Config cfg;
    private final Report report = new Report("load-bench", LoadBench.class, "Load: latest results");
    private BenchHttp http;
    private CpuMeter cpu;
    private ServerProcess server;

    private LoadBench(Config cfg) {
        this.cfg = cfg;
    }

    public static void main(String[] args) throws Exception {
        System.exit(new LoadBench(Config.fromSystemProperties()).run());
    }

    private int run() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dataDir = cfg.projectDir().resolve("target/bench-data").resolve("load-" + stamp);
        var props = new ArrayList<String>();
        props.add("-Dtrainyard.workers.count=" + cfg.jobs());
        props.add("-Dtrainyard.workers.threads-per-job=1");
        props.addAll(cfg.serverProps());
        server = new ServerProcess(cfg.jar(), dataDir, cfg.serverJvmArgs(), props);

        report.commands.put("A", cfg.command());
        Bench.recordConditions(report, cfg.projectDir());
        report.conditions.put("Server", "`" + cfg.projectDir().relativize(cfg.jar().toAbsolutePath()) + "` run as `java "
                + String.join(" ", cfg.serverJvmArgs()) + (cfg.serverJvmArgs().isEmpty() ? "" : " ") + String.join(" ", props)
                + " -jar …` (Java " + System.getProperty("java.version") + ", default heap), embedded H2 in file mode, fresh data dir");
        report.conditions.put("Jobs", cfg.jobs() + " × `" + cfg.job().json("load-jobs") + "`, one thread each, started together "
                + "and cancelled at the end (they train throughout)");
        report.conditions.put("Clients", String.format("%d threads in the bench JVM on the same machine, each with its own external "
                + "run and its own JDK HttpClient (one HTTP/1.1 keep-alive connection on loopback), like separate scripts. "
                + "Open-loop schedule: a request every %d ms on average (uniform %.0f–%.0f ms), %d%% of them a batch of %d–%d `%s` "
                + "points, the rest one `%s` point. Offered: %.0f requests/s, %.0f points/s. %d s warm-up, then %d s measured",
                cfg.clients(), cfg.paceMs(), cfg.paceMs() * 0.5, cfg.paceMs() * 1.5, cfg.batchPercent(), cfg.batchMin(),
                cfg.batchMax(), BATCH_KEY, SINGLE_KEY, cfg.offeredRequestsPerSecond(), cfg.offeredPointsPerSecond(),
                cfg.warmupSeconds(), cfg.seconds()));
        Bench.log("server log: " + server.log);

        try {
            Bench.log("launching " + String.join(" ", server.command));
            server.launch();
            server.awaitHealthy(Duration.ofMinutes(3));
            http = new BenchHttp(server.baseUrl());
            cpu = new CpuMeter(server.pid());
            measure();
        } catch (Exception e) {
            report.error("Load bench", e.toString(), "A");
            e.printStackTrace();
        } finally {
            long[] stopped = server.stop();
            Bench.log("server stopped in " + stopped[0] + " ms, exit code " + stopped[1]);
            if (!cfg.keepData()) {
                Bench.deleteTree(server.dataDir.resolve("data"));
            }
        }
        report.noteLogErrors(cfg.projectDir(), server);
        return report.finish("Trainyard load bench results", cfg.writeDocs(), cfg.docs());
    }

    private void measure() throws Exception {
        var clients = new ArrayList<Client>();
        for (int i = 0; i < cfg.clients(); i++) {
            clients.add(new Client(i, http.createRun("{\"project\":\"load\",\"name\":\"client-" + i + "\"}"), server.baseUrl()));
        }
        var jobIds = new ArrayList<String>();
        for (int i = 0; i < cfg.jobs(); i++) {
            jobIds.add(http.createRun(cfg.job().json("load-jobs")));
        }
        if (!jobIds.isEmpty()) {
            Bench.log("waiting for " + cfg.jobs() + " jobs to train");
            for (String id : jobIds) {
                Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> epoch(http.getJson("/api/v1/runs/" + id)) >= 1);
            }
            Thread.sleep(3000); // past the backend's initialisation and the first JIT compiles
        }

        Window aloneBefore = jobIds.isEmpty() ? null : alone("alone, before the load");
        Window loaded = load(clients);
        Window aloneAfter = jobIds.isEmpty() ? null : alone("alone, after the load");

        boolean trainedThroughout = true;
        for (String id : jobIds) {
            JsonNode run = http.getJson("/api/v1/runs/" + id);
            if (!"RUNNING".equals(run.get("state").asString())) {
                trainedThroughout = false;
                report.error("Jobs", "job " + id + " was " + run.get("state").asString() + " before the bench cancelled it: "
                        + BenchHttp.abbreviate(run.toString(), 500), "A");
            }
            http.postJson("/api/v1/runs/" + id + "/cancel", "");
        }
        for (String id : jobIds) {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> http.getJson("/api/v1/runs/" + id).get("endedAt") != null);
        }
        double aloneServerCores = jobIds.isEmpty() ? 0
                : (aloneBefore.cpu().serverCores() + aloneAfter.cpu().serverCores()) / 2;
        reportLatency(clients, aloneServerCores, loaded.cpu());
        verifyPoints(clients);
        if (trainedThroughout && !jobIds.isEmpty()) {
            reportEpochRates(jobIds, aloneBefore, loaded, aloneAfter);
        }
    }

    private static long epoch(JsonNode run) {
        JsonNode progress = run.path("job").path("progress").path("step");
        return progress.isMissingNode() || progress.isNull() ? 0 : progress.asLong();
    }

    private Window alone(String phase) throws InterruptedException {
        Bench.log("jobs " + phase + " for " + cfg.aloneSeconds() + " s");
        var cpuAt = cpu.snapshot();
        long from = System.currentTimeMillis();
        Thread.sleep(TimeUnit.SECONDS.toMillis(cfg.aloneSeconds()));
        var window = new Window(from, System.currentTimeMillis(), cpu.since(cpuAt));
        report.recordLoad("jobs " + phase, window.cpu(), 0);
        return window;
    }

    /** Runs every client for warm-up plus the measured time; returns the measured window. */
    private Window load(List<Client> clients) throws Exception {
        Bench.log(String.format("load: %d clients, %.0f requests/s offered, %d s warm-up + %d s measured", cfg.clients(),
                cfg.offeredRequestsPerSecond(), cfg.warmupSeconds(), cfg.seconds()));
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(cfg.warmupSeconds());
            long end = measureFrom + TimeUnit.SECONDS.toNanos(cfg.seconds());
            var futures = new ArrayList<Future<?>>();
            for (Client c : clients) {
                futures.add(pool.submit(() -> c.run(start, measureFrom, end)));
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime()));
            var cpuAt = cpu.snapshot();
            long from = System.currentTimeMillis();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            var window = new Window(from, System.currentTimeMillis(), cpu.since(cpuAt));
            for (Future<?> f : futures) {
                f.get();
            }
            report.recordLoad((cfg.jobs() > 0 ? "jobs under load" : "load") + " (measured window)", window.cpu(), 0);
            return window;
        } finally {
            pool.shutdownNow();
        }
    }

    private void reportLatency(List<Client> clients, double aloneServerCores, CpuMeter.Usage loadCpu) {
        var singles = new Kind();
        var batches = new Kind();
        clients.forEach(c -> {
            singles.addAll(c.singles);
            batches.addAll(c.batches);
        });
        double seconds = cfg.seconds();
        long acknowledged = singles.acknowledged + batches.acknowledged;
        long points = singles.points + batches.points;
        long unsent = singles.unsent + batches.unsent;
        long errors = clients.stream().mapToLong(c -> c.errors).sum();
        Bench.log(String.format("load: %d requests acknowledged (%.0f/s), %d points (%.0f/s), %d not sent in time, %d errors; single "
                + "p50 %.1f p99 %.1f max %.1f ms; batch p50 %.1f p99 %.1f max %.1f ms", acknowledged, acknowledged / seconds, points,
                points / seconds, unsent, errors, Stats.median(singles.sentMs), Stats.percentile(singles.sentMs, 99),
                Stats.max(singles.sentMs), Stats.median(batches.sentMs), Stats.percentile(batches.sentMs, 99),
                Stats.max(batches.sentMs)));

        report.info("Throughput: requests/s answered 200 within the window (offered "
                        + String.format("%.0f", cfg.offeredRequestsPerSecond()) + ")",
                String.format("%.1f (%,d single + %,d batch in %d s)", acknowledged / seconds, singles.acknowledged,
                        batches.acknowledged, cfg.seconds()), "A");
        report.info("Throughput: points/s acknowledged within the window (offered "
                + String.format("%.0f", cfg.offeredPointsPerSecond()) + ")", String.format("%,.0f (%,d points)", points / seconds,
                points), "A");
        report.info("Requests due in the window but not sent by its end (clients behind schedule)",
                String.format("%,d of %,d", unsent, singles.scheduled + batches.scheduled), "A");
        report.atMost("Single-point `POST …/metrics`: p99 latency (send → 200)", Stats.percentile(singles.sentMs, 99), 50, " ms",
                "%.1f", "A");
        report.info("Single-point: p50 / p99 / max, send → 200", latencies(singles.sentMs), "A");
        report.info("Single-point: p50 / p99 / max, scheduled time → 200 (includes waiting behind a late request)",
                latencies(singles.scheduledMs), "A");
        report.info("Single-point p99 (send → 200) in each 10 s of the window", slices(singles, 10), "A");
        report.info("Single-point during the " + cfg.warmupSeconds() + " s warm-up before the window (a fresh JVM: the JIT is "
                + "still compiling the request path): p50 / p99 / max", latencies(singles.warmupMs), "A");
        report.info(String.format("Batch of %d–%d points: p50 / p99 / max, send → 200", cfg.batchMin(), cfg.batchMax()),
                latencies(batches.sentMs), "A");
        report.info("Batch: p50 / p99 / max, scheduled time → 200", latencies(batches.scheduledMs), "A");
        report.add("Errors (non-200 or no answer), warm-up included", String.format("%d (%d in the measured window)", errors,
                singles.errors + batches.errors), "0", errors == 0 ? Outcome.PASS : Outcome.ERROR, "A");
        if (acknowledged > 0) {
            double extra = (loadCpu.serverCores() - aloneServerCores) * loadCpu.seconds();
            report.info("Server CPU per acknowledged request, beyond what the jobs alone used (rough: the jobs slow down too)",
                    String.format("%.2f ms (server %.2f cores under load, %.2f with the jobs alone)", extra * 1000 / acknowledged,
                            loadCpu.serverCores(), aloneServerCores), "A");
        }
        long due = singles.scheduled + batches.scheduled;
        if (unsent > due / 100) {
            report.note(String.format("The server did not keep up with the offered rate: %,d of the %,d requests due in the "
                    + "measured window were still waiting to be sent when it ended, so these are the latencies of a saturated "
                    + "server and the scheduled-time latencies grow with the length of the run.", unsent, due));
        }
        if (errors > 0) {
            report.broken = true;
            var samples = new ArrayList<String>();
            clients.forEach(c -> samples.addAll(c.errorSamples));
            report.note("Failed requests, first ones: " + String.join(" / ", samples.subList(0, Math.min(5, samples.size()))));
        }
    }

    /** p99 of each {@code seconds}-long slice of the window, in order: shows warm-up and stalls. */
    private String slices(Kind kind, int seconds) {
        var perSlice = new ArrayList<List<Double>>();
        for (int i = 0; i < (cfg.seconds() + seconds - 1) / seconds; i++) {
            perSlice.add(new ArrayList<>());
        }
        for (int i = 0; i < kind.sentMs.size(); i++) {
            int slice = (int) (kind.sentAtSeconds.get(i) / seconds);
            perSlice.get(Math.min(slice, perSlice.size() - 1)).add(kind.sentMs.get(i));
        }
        return perSlice.stream().map(ms -> String.format("%.0f", Stats.percentile(ms, 99)))
                .collect(Collectors.joining(", ", "", " ms"));
    }

    private static String latencies(List<Double> ms) {
        return String.format("%.1f / %.1f / %.1f ms (%,d requests)", Stats.median(ms), Stats.percentile(ms, 99), Stats.max(ms),
                ms.size());
    }

    /** Every client run's points, read back as CSV, against what got a 200: step by step, value by value. */
    private void verifyPoints(List<Client> clients) throws IOException, InterruptedException {
        long acked = 0;
        long stored = 0;
        long lost = 0;
        long doubled = 0;
        long unexpected = 0;
        long changed = 0;
        long unansweredStored = 0;
        var problems = new ArrayList<String>();
        for (Client c : clients) {
            for (Track t : List.of(c.single, c.batch)) {
                String path = "/api/v1/runs/" + c.runId + "/metrics/" + t.key + ".csv";
                BenchHttp.Reply r = http.get(path);
                if (r.status() != 200) {
                    throw new BenchHttp.ApiFailure("GET " + path, r);
                }
                List<String> lines = r.body().lines().skip(1).filter(l -> !l.isBlank()).toList(); // step,value,time
                var seen = new BitSet();
                long rows = lines.size();
                long[] counts = new long[4]; // doubled, never sent, changed value, unanswered but stored
                for (String line : lines) {
                    String[] f = line.split(",");
                    int step = Integer.parseInt(f[0]);
                    if (seen.get(step)) {
                        counts[0]++;
                    } else if (!t.acked.get(step) && !t.unanswered.get(step)) {
                        counts[1]++;
                    } else if (Double.parseDouble(f[1]) != BatchBody.value(step)) {
                        counts[2]++;
                    } else if (t.unanswered.get(step)) {
                        counts[3]++;
                    }
                    seen.set(step);
                }
                var missing = (BitSet) t.acked.clone();
                missing.andNot(seen);
                acked += t.acked.cardinality();
                stored += rows;
                lost += missing.cardinality();
                doubled += counts[0];
                unexpected += counts[1];
                changed += counts[2];
                unansweredStored += counts[3];
                if (!missing.isEmpty() || counts[0] + counts[1] + counts[2] > 0) {
                    problems.add(String.format("run %s key %s: %d acknowledged, %d rows, missing steps %s, %d doubled, %d never "
                            + "sent, %d with another value", c.runId, t.key, t.acked.cardinality(), rows,
                            BenchHttp.abbreviate(missing.toString(), 200), counts[0], counts[1], counts[2]));
                }
            }
        }
        boolean ok = lost == 0 && doubled == 0 && unexpected == 0 && changed == 0;
        Bench.log(String.format("verify: %d acknowledged, %d stored, %d lost, %d doubled, %d never sent, %d changed, %d unanswered "
                + "but stored", acked, stored, lost, doubled, unexpected, changed, unansweredStored));
        report.add("Stored vs acknowledged, every client run read back as CSV (warm-up included)",
                String.format("%,d stored / %,d acknowledged: %d lost, %d doubled, %d never sent, %d with a changed value", stored,
                        acked, lost, doubled, unexpected, changed), "0 lost, 0 doubled", ok ? Outcome.PASS : Outcome.ERROR, "A");
        if (unansweredStored > 0) {
            report.note(unansweredStored + " points of requests that got no clear answer are stored (committed before the "
                    + "failure); they are neither lost nor doubled.");
        }
        if (!ok) {
            report.broken = true;
            report.note("Verification mismatch: " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }
    }

    /** Each job's epochs/s in each window, counted from the wall time stamped on its stored epochs. */
    private void reportEpochRates(List<String> jobIds, Window before, Window loaded, Window after)
            throws IOException, InterruptedException {
        double totalAlone = 0;
        double totalLoaded = 0;
        var perJob = new ArrayList<String>();
        for (String id : jobIds) {
            String path = "/api/v1/runs/" + id + "/metrics/epoch_ms.csv";
            BenchHttp.Reply r = http.get(path);
            if (r.status() != 200) {
                throw new BenchHttp.ApiFailure("GET " + path, r);
            }
            List<long[]> epochs = r.body().lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(","))
                    .map(f -> new long[] {Long.parseLong(f[0]), Instant.parse(f[2]).toEpochMilli()}).toList();
            long first = epochs.isEmpty() ? 0 : epochs.get(0)[0];
            long last = epochs.isEmpty() ? -1 : epochs.get(epochs.size() - 1)[0];
            if (epochs.size() != last - first + 1) {
                report.broken = true;
                report.note("Job " + id + ": `epoch_ms` holds " + epochs.size() + " points for epochs " + first + ".." + last);
            }
            double b = rate(epochs, before);
            double l = rate(epochs, loaded);
            double a = rate(epochs, after);
            double alone = (b + a) / 2;
            totalAlone += alone;
            totalLoaded += l;
            perJob.add(String.format("%.1f → %.1f (before %.1f, after %.1f)", alone, l, b, a));
        }
        Bench.log(String.format("epochs/s: alone %.1f, under load %.1f; per job %s", totalAlone, totalLoaded, perJob));
        report.info("Jobs' epochs/s, all jobs together: alone (mean of before and after) → under load",
                String.format("%.1f → %.1f", totalAlone, totalLoaded), "A");
        report.info("Jobs' epoch rate under load ÷ alone", String.format("%.2f", totalLoaded / totalAlone), "A");
        report.info("Each job's epochs/s, alone → under load", String.join("; ", perJob), "A");
    }

    private static double rate(List<long[]> epochs, Window w) {
        return epochs.stream().filter(e -> e[1] >= w.fromMillis() && e[1] < w.toMillis()).count() / w.seconds();
    }
}

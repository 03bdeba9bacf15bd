package dev.trainyard.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.support.Api;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * First draw of the compare page with 40 runs x 100,000 points, and of the parallel coordinates over
 * 1,000 runs, in headless chromium against a server started in this JVM (embedded H2 in file mode under
 * target/compare-bench/). Not a test: run it by hand, see docs/BENCHMARKS.md ("Compare page and parallel
 * coordinates"). Prints the figures and writes them to target/compare-bench.txt.
 *
 * <ol>
 * <li>Compare: navigation start until compare.js has drawn every chart ({@code __trainyardCompareReady}) and
 * until params.js has drawn the parallel coordinates of the 40 ({@code __trainyardParallelReady}); the first load
 * (server caches cold), then warm reloads.</li>
 * <li>Parallel coordinates: {@code /params?project=...} over 1,000 runs with five config keys (three varying
 * numerically, one logarithmically, one a category) and a loss: navigation start until ECharts' first
 * {@code finished} event. The page reads the runs from {@code GET /api/v1/runs} in pages of 500.
 * {@code -Dbench.runs=0} skips the compare part.</li>
 * </ol>
 */
final class CompareBench {

    static final int RUNS = Integer.getInteger("bench.runs", 40);
    static final int POINTS = Integer.getInteger("bench.points", 100_000);
    static final int PC_RUNS = Integer.getInteger("bench.pcRuns", 1_000);
    static final int BATCH = 10_000;
    static final int RELOADS = 5;

    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new CompareBench().run();
        System.exit(0);
    }

    void run() throws Exception {
        Path data = Path.of("target", "compare-bench", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        ConfigurableApplicationContext server = new SpringApplicationBuilder(TrainyardApplication.class).run(
                "--server.port=0", "--trainyard.data-dir=" + data, "--trainyard.workers.count=0",
                "--spring.datasource.url=jdbc:h2:file:" + data + "/trainyard;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE",
                "--logging.level.root=WARN");
        int port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
        line("Date: %s; machine: %d cores, %s; load average at the start %s", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                loadAverage());
        try (Browser browser = Browser.start()) {
            line("Browser: %s", browser.driver.getCapabilities().getBrowserVersion());
            if (RUNS > 0) {
                compare(new Api(port, Duration.ofMinutes(2)), browser, port);
            }
            parallel(new Api(port), browser, port);
        } finally {
            server.close();
        }
        line("Load average at the end: %s", loadAverage());
        Files.write(Path.of("target", "compare-bench.txt"), report);
    }

    private void compare(Api api, Browser browser, int port) {
        var ids = new ArrayList<String>();
        long ingestStart = System.nanoTime();
        String[] models = {"rnn", "gru", "lstm", "seed-rnn"};
        for (int r = 0; r < RUNS; r++) {
            String config = "{\"model\": \"" + models[r % models.length] + "\", \"seed\": " + r + ", \"lr\": "
                    + (0.001 * (1 + r % 5)) + ", \"hidden\": 128}";
            String id = api.post("/api/v1/runs", "{\"project\": \"bench-compare40\", \"name\": \"run " + r + "\", \"config\": "
                    + config + "}").json().get("id").asString();
            ids.add(id);
            for (int from = 1; from <= POINTS; from += BATCH) {
                var body = new StringBuilder(BATCH * 60).append("{\"points\": [");
                for (int step = from; step < from + BATCH && step <= POINTS; step++) {
                    double value = (1.0 + r * 0.05) * Math.exp(-step / 20_000.0) + 0.05 * Math.sin(step * 0.37 + r);
                    body.append(step == from ? "" : ",").append("{\"key\":\"loss\",\"step\":").append(step)
                            .append(",\"value\":").append(String.format(Locale.ROOT, "%.6f", value)).append('}');
                }
                int status = api.post("/api/v1/runs/" + id + "/metrics", body.append("]}").toString()).status();
                if (status != 200) {
                    throw new IllegalStateException("ingest answered " + status);
                }
            }
            api.patch("/api/v1/runs/" + id, "{\"state\": \"FINISHED\"}");
        }
        line("Compare: %d runs x %,d points of loss ingested in %.1f s (load average %s)", RUNS, POINTS,
                (System.nanoTime() - ingestStart) / 1e9, loadAverage());

        String url = "http://localhost:" + port + "/compare?runs=" + String.join(",", ids);
        var charts = new ArrayList<Double>();
        var parallels = new ArrayList<Double>();
        for (int i = 0; i <= RELOADS; i++) {
            browser.driver.get(url);
            browser.waiting(Duration.ofSeconds(120)).until(d -> browser.script(
                    "return window.__trainyardCompareReady && window.__trainyardParallelReady ? true : null") != null);
            double ready = ((Number) browser.script("return window.__trainyardCompareReady;")).doubleValue();
            double pc = ((Number) browser.script("return window.__trainyardParallelReady;")).doubleValue();
            long points = browser.number("var c = Chart.getChart(document.querySelector('figure[data-key] canvas'));"
                    + "return c.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0);");
            if (i == 0) {
                line("  first load (server caches cold): navigation -> all charts drawn %.0f ms, parallel coordinates drawn %.0f ms;"
                        + " %,d points drawn in the loss chart; load average %s", ready, pc, points, loadAverage());
            } else {
                charts.add(ready);
                parallels.add(pc);
            }
        }
        line("  warm reloads (%d): navigation -> all charts drawn %s; parallel coordinates drawn %s; load average %s", RELOADS,
                stats(charts), stats(parallels), loadAverage());
        // Grouping folds the 40 into 4 model groups with a mean and a std band per chart.
        double group = ((Number) browser.script("""
                var t = performance.now();
                var el = document.getElementById('group-by');
                el.value = 'model';
                el.dispatchEvent(new Event('change'));
                return performance.now() - t;""")).doubleValue();
        line("  group by model (4 groups: mean and std band recomputed and drawn): %.0f ms", group);
    }

    private void parallel(Api api, Browser browser, int port) {
        long start = System.nanoTime();
        var random = new Random(18);
        String[] models = {"rnn", "gru", "lstm"};
        for (int r = 0; r < PC_RUNS; r++) {
            double lr = Math.pow(10, -4 + 3 * random.nextDouble());
            int hidden = 32 << random.nextInt(4);
            int layers = 1 + random.nextInt(3);
            double dropout = Math.round(random.nextDouble() * 50) / 100.0;
            String model = models[random.nextInt(models.length)];
            String config = String.format(Locale.ROOT, "{\"model\": \"%s\", \"lr\": %.6g, \"hidden\": %d, \"layers\": %d, \"dropout\": %.2f}",
                    model, lr, hidden, layers, dropout);
            String id = api.post("/api/v1/runs", "{\"project\": \"bench-pc\", \"name\": \"pc " + r + "\", \"config\": " + config + "}")
                    .json().get("id").asString();
            double loss = Math.abs(Math.log10(lr) + 2.5) + 0.2 * dropout + 0.1 * random.nextGaussian();
            api.post("/api/v1/runs/" + id + "/metrics", String.format(Locale.ROOT,
                    "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": %.6f}]}", loss));
        }
        line("Parallel coordinates: %,d runs with 5 config keys and a loss created in %.1f s (load average %s)", PC_RUNS,
                (System.nanoTime() - start) / 1e9, loadAverage());
        String url = "http://localhost:" + port + "/params?project=bench-pc";
        var loads = new ArrayList<Double>();
        var scripts = new ArrayList<Double>();
        var reads = new ArrayList<Double>();
        for (int i = 0; i <= RELOADS; i++) {
            browser.driver.get(url);
            browser.waiting(Duration.ofSeconds(120)).until(d -> browser.script("return window.__trainyardParallelReady || null") != null);
            double ready = ((Number) browser.script("return window.__trainyardParallelReady;")).doubleValue();
            double script = ((Number) browser.script("return window.__trainyardParallelMs;")).doubleValue();
            double read = ((Number) browser.script("return window.__trainyardParallelReadMs;")).doubleValue();
            long lines = browser.number("return echarts.getInstanceByDom(document.getElementById('parallel')).getOption().series[0].data.length;");
            if (lines != PC_RUNS) {
                throw new IllegalStateException("drew " + lines + " lines, not " + PC_RUNS);
            }
            if (i == 0) {
                line("  first load: navigation -> %,d lines drawn %.0f ms (script start -> drawn %.0f ms, of which reading the runs"
                        + " from the API %.0f ms); load average %s", lines, ready, script, read, loadAverage());
            } else {
                loads.add(ready);
                scripts.add(script);
                reads.add(script - read);
            }
        }
        line("  warm reloads (%d): navigation -> drawn %s; script start -> drawn %s; of that, drawing after the runs were read %s;"
                + " load average %s", RELOADS, stats(loads), stats(scripts), stats(reads), loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String stats(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return String.format(Locale.ROOT, "p50 %.0f ms, max %.0f ms (n=%d)", sorted.get((sorted.size() - 1) / 2),
                sorted.get(sorted.size() - 1), sorted.size());
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.add(text);
    }
}

package dev.trainyard.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.support.Api;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The runs table with many runs (issue #18): {@code bench.runs} (10,000) external runs in one project,
 * each with {@code bench.configKeys} (20) config values and two metric keys, against a server started
 * in this JVM (embedded H2 in file mode under target/runs-table-bench/, as in production). Not a test:
 * run it by hand, see docs/BENCHMARKS.md ("Runs table"). For each address it loads the page in headless
 * chromium {@code bench.loads} times after {@code bench.warmup} loads, and takes navigation start to the
 * load event (the HTML rendered by the server, then live.js and runs.js run). Prints p50 and p90 and
 * writes them to target/runs-table-bench.txt. {@code -Dbench.data=<an earlier run's directory>} measures its runs
 * again without seeding.
 */
final class RunsTableBench {

    static final int RUNS = Integer.getInteger("bench.runs", 10_000);
    static final int CONFIG_KEYS = Integer.getInteger("bench.configKeys", 20);
    static final int LOADS = Integer.getInteger("bench.loads", 30);
    static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    static final String PROJECT = "bench-table";

    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new RunsTableBench().run();
        System.exit(0);
    }

    void run() throws Exception {
        // bench.data: an earlier run's directory, whose runs are measured again without seeding (seeding is most of the time)
        String reuse = System.getProperty("bench.data");
        Path data = reuse != null ? Path.of(reuse).toAbsolutePath()
                : Path.of("target", "runs-table-bench", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        ConfigurableApplicationContext server = new SpringApplicationBuilder(TrainyardApplication.class).run(
                "--server.port=0", "--trainyard.data-dir=" + data, "--trainyard.workers.count=0",
                "--spring.datasource.url=jdbc:h2:file:" + data + "/trainyard;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE",
                "--logging.level.root=WARN");
        int port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
        try (Browser browser = Browser.start()) {
            long start = System.nanoTime();
            if (reuse == null) {
                seed(new Api(port, Duration.ofSeconds(60)));
            }
            line("Date: %s; machine: %d cores, %s; browser chromium %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), browser.driver.getCapabilities().getBrowserVersion());
            line(reuse == null ? "Seeded %,d runs x %d config keys + 2 metric keys (10 points each) in %.0f s"
                    : "Reused the %,d runs x %d config keys of " + data + " (%.0f s)", RUNS, CONFIG_KEYS, (System.nanoTime() - start) / 1e9);
            String columns = IntStream.range(0, CONFIG_KEYS).mapToObj(i -> "col=config.k" + i).collect(Collectors.joining("&"));
            String base = "/projects/" + PROJECT + "?" + columns + "&col=summary.loss:min&col=summary.acc:max";
            measure(browser, port, "20 config + 2 summary columns, newest first", base);
            measure(browser, port, "the same, sorted by a config value", base + "&sort=config.k3,desc");
            measure(browser, port, "the same, sorted by a summary (min)", base + "&sort=summary.loss:min");
            measure(browser, port, "the same, filtered config.k1>0.5 and loss:min<0.5", base + "&f=config.k1%3E0.5&f=loss:min%3C0.5");
            measure(browser, port, "grouped by config.k2 (10 groups), one open", base + "&groupBy=config.k2&open=v:v3");
            measure(browser, port, "default columns", "/projects/" + PROJECT);
        } finally {
            server.close();
        }
        Files.write(Path.of("target", "runs-table-bench.txt"), report);
    }

    private void seed(Api api) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        var futures = new ArrayList<Future<?>>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int r = thread; r < RUNS; r += 4) {
                    var config = new StringBuilder("{");
                    for (int k = 0; k < CONFIG_KEYS; k++) {
                        // numbers, except k2, a text value with 10 distinct values to group by
                        config.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":");
                        config.append(k == 2 ? "\"v" + r % 10 + "\"" : String.format(Locale.ROOT, "%.4f", ((r * 31L + k * 17L) % 1000) / 1000.0));
                    }
                    var created = api.post("/api/v1/runs", "{\"project\": \"" + PROJECT + "\", \"name\": \"run " + r + "\", \"config\": "
                            + config.append("}") + "}");
                    if (created.status() != 201) {
                        throw new IllegalStateException("create answered " + created.status() + ": " + created.body());
                    }
                    String id = created.json().get("id").asString();
                    var points = new StringBuilder("{\"points\": [");
                    for (int step = 0; step < 10; step++) {
                        double loss = (1 + r % 7) / (step + 1.0) / 7;
                        points.append(step == 0 ? "" : ",").append(String.format(Locale.ROOT,
                                "{\"key\":\"loss\",\"step\":%d,\"value\":%.5f},{\"key\":\"acc\",\"step\":%d,\"value\":%.5f}",
                                step, loss, step, 1 - loss));
                    }
                    if (api.post("/api/v1/runs/" + id + "/metrics", points.append("]}").toString()).status() != 200) {
                        throw new IllegalStateException("metrics refused");
                    }
                    api.patch("/api/v1/runs/" + id, "{\"state\": \"FINISHED\"}");
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private void measure(Browser browser, int port, String label, String path) throws Exception {
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        double[] times = new double[LOADS];
        for (int i = -WARMUP; i < LOADS; i++) {
            browser.open(port, path, Duration.ofSeconds(60));
            double ms = ((Number) browser.script("var n = performance.getEntriesByType('navigation')[0]; "
                    + "return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : n.domContentLoadedEventEnd - n.startTime;"))
                    .doubleValue();
            if (i >= 0) {
                times[i] = ms;
            }
        }
        int rows = browser.driver.findElements(org.openqa.selenium.By.cssSelector("#runs-table tbody tr")).size();
        Arrays.sort(times);
        line("%-55s p50 %6.0f ms  p90 %6.0f ms  max %6.0f ms  (%d loads, %d rows; load average before: %s)", label,
                times[LOADS / 2], times[(int) (LOADS * 0.9)], times[LOADS - 1], LOADS, rows, load);
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.add(text);
    }
}

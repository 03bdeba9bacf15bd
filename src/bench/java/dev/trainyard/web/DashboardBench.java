package dev.trainyard.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.support.Api;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures the dashboard in headless chromium against a server started in this JVM (embedded H2 in
 * file mode under target/dashboard-bench/, as in production). Not a test: run it by hand, see
 * docs/BENCHMARKS.md ("Dashboard"). Prints the figures and writes them to target/dashboard-bench.txt.
 *
 * <ol>
 * <li>Epoch commit → point drawn: an external run's page is open; the bench posts one {@code loss} point
 * per request, paced like a training job's epochs, and notes when each POST's 200 (the commit) came back.
 * run.js notes in {@code window.__trainyardDrawn} when each step was drawn on its chart. Latency = drawn − 200.</li>
 * <li>Compare page load for 20 runs × 100,000 points: navigation start until compare.js has drawn every
 * chart ({@code window.__trainyardCompareReady}); the first load (server caches cold) and warm reloads;
 * then the smoothing slider's redraw and a wheel zoom until the exact re-read range is drawn.</li>
 * </ol>
 */
final class DashboardBench {

    static final int EPOCHS = Integer.getInteger("bench.epochs", 300);
    static final int WARMUP = 20;
    static final int EPOCH_MS = Integer.getInteger("bench.epochMs", 50);
    static final int RUNS = Integer.getInteger("bench.runs", 20);
    static final int POINTS = Integer.getInteger("bench.points", 100_000);
    static final int BATCH = 10_000;
    static final int RELOADS = 5;

    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new DashboardBench().run();
        System.exit(0);
    }

    void run() throws Exception {
        Path data = Path.of("target", "dashboard-bench", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        ConfigurableApplicationContext server = new SpringApplicationBuilder(TrainyardApplication.class).run(
                "--server.port=0", "--trainyard.data-dir=" + data,
                "--spring.datasource.url=jdbc:h2:file:" + data + "/trainyard;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE",
                "--logging.level.root=WARN");
        int port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
        line("Date: %s; machine: %d cores, %s; load average %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), Files.readString(Path.of("/proc/loadavg")).strip());
        try (Browser browser = Browser.start()) {
            line("Browser: %s", browser.driver.getCapabilities().getBrowserVersion());
            latency(new Api(port), browser, port);
            compare(new Api(port), browser, port);
        } finally {
            server.close();
        }
        Files.write(Path.of("target", "dashboard-bench.txt"), report);
    }

    private void latency(Api api, Browser browser, int port) {
        String id = api.post("/api/v1/runs", "{\"project\": \"bench-live\", \"name\": \"latency\"}").json().get("id").asString();
        post(api, id, 0);
        browser.driver.get("http://localhost:" + port + "/runs/" + id);
        browser.waiting(Duration.ofSeconds(30)).until(d -> !((List<?>) browser.script(Browser.POINTS, "loss")).isEmpty());
        browser.script("window.__trainyardDrawn = [];");

        var acked = new HashMap<Long, long[]>(); // step -> {sent, acknowledged} in epoch microseconds
        long next = System.nanoTime();
        for (long step = 1; step <= WARMUP + EPOCHS; step++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += EPOCH_MS * 1_000_000L;
            long sent = micros();
            post(api, id, step);
            acked.put(step, new long[] {sent, micros()});
        }
        long last = WARMUP + EPOCHS;
        browser.waiting(Duration.ofSeconds(30)).until(d -> browser.number(
                "var d = window.__trainyardDrawn; return d.length ? d[d.length - 1].step : -1;") >= last);
        // The page's clock against ours: the middle of a round trip against the page's reading.
        long before = micros();
        double page = ((Number) browser.script("return (performance.timeOrigin + performance.now()) * 1000;")).doubleValue();
        long skew = Math.round(page - (before + micros()) / 2.0);

        @SuppressWarnings("unchecked")
        var drawn = (List<Map<String, Object>>) browser.script("return window.__trainyardDrawn;");
        var fromAck = new ArrayList<Double>();
        var fromSend = new ArrayList<Double>();
        for (Map<String, Object> d : drawn) {
            long step = ((Number) d.get("step")).longValue();
            if (step <= WARMUP) {
                continue;
            }
            double at = ((Number) d.get("at")).doubleValue() * 1000 - skew;
            long[] times = acked.get(step);
            fromAck.add((at - times[1]) / 1000.0);
            fromSend.add((at - times[0]) / 1000.0);
        }
        line("Epoch commit -> point drawn (%d epochs, one POST every %d ms, after %d warm-up; clock skew page-bench %d µs):",
                fromAck.size(), EPOCH_MS, WARMUP, skew);
        line("  from the POST's 200: %s", stats(fromAck));
        line("  from sending the POST: %s", stats(fromSend));
    }

    private void compare(Api api, Browser browser, int port) {
        var ids = new ArrayList<String>();
        long ingestStart = System.nanoTime();
        for (int r = 0; r < RUNS; r++) {
            String id = api.post("/api/v1/runs", "{\"project\": \"bench-compare\", \"name\": \"run " + r + "\"}")
                    .json().get("id").asString();
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
        line("Compare: %d runs x %,d points of loss ingested in %.1f s", RUNS, POINTS, (System.nanoTime() - ingestStart) / 1e9);

        String url = "http://localhost:" + port + "/compare?runs=" + String.join(",", ids);
        var loads = new ArrayList<Double>();
        var scripts = new ArrayList<Double>();
        for (int i = 0; i <= RELOADS; i++) {
            browser.driver.get(url);
            browser.waiting(Duration.ofSeconds(120)).until(d -> browser.script("return window.__trainyardCompareReady || null") != null);
            double ready = ((Number) browser.script("return window.__trainyardCompareReady;")).doubleValue();
            double script = ((Number) browser.script("return window.__trainyardCompareLoadMs;")).doubleValue();
            long points = browser.number("var c = Chart.getChart(document.querySelector('figure[data-key] canvas'));"
                    + "return c.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0);");
            if (i == 0) {
                line("  first load (server caches cold): navigation -> all charts drawn %.0f ms (fetch + draw %.0f ms), %,d points drawn",
                        ready, script, points);
            } else {
                loads.add(ready);
                scripts.add(script);
            }
        }
        line("  warm reloads (%d): navigation -> all charts drawn %s; of which fetch + draw %s", RELOADS, stats(loads), stats(scripts));
        double longest = ((Number) browser.driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var longest = 0;
                new PerformanceObserver(function (list) {
                  list.getEntries().forEach(function (e) { longest = Math.max(longest, e.duration); });
                }).observe({type: 'longtask', buffered: true});
                setTimeout(function () { done(longest); }, 200);""")).doubleValue();
        line("  longest main-thread task during the last load: %.0f ms (0 = none over 50 ms recorded)", longest);

        var slider = new ArrayList<Double>();
        for (double ema : new double[] {0.6, 0.9, 0.95, 0.0, 0.8}) {
            slider.add(((Number) browser.script("""
                    var t = performance.now();
                    var el = document.getElementById('ema');
                    el.value = arguments[0];
                    el.dispatchEvent(new Event('input'));
                    return performance.now() - t;""", ema)).doubleValue());
        }
        line("  smoothing slider, recompute EMA of %d series and redraw: %s", RUNS, stats(slider));

        WebElement canvas = browser.driver.findElement(By.cssSelector("figure[data-key] canvas"));
        browser.script("window.__trainyardRangeDrawn = null;");
        long wheel = System.nanoTime();
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(canvas), 0, -1200).perform();
        browser.waiting(Duration.ofSeconds(30)).until(d -> browser.script("return window.__trainyardRangeDrawn") != null);
        double zoomMs = (System.nanoTime() - wheel) / 1e6;
        String range = String.valueOf(browser.script("var c = Chart.getChart(arguments[0]);"
                + "return Math.round(c.scales.x.min) + '..' + Math.round(c.scales.x.max) + ', ' + c.data.datasets[0].data.length + ' points in run 0';", canvas));
        line("  wheel zoom -> exact range re-read and drawn: %.0f ms (includes the zoom plugin's 250 ms and the page's 150 ms debounce; range %s)",
                zoomMs, range);
    }

    private static void post(Api api, String id, long step) {
        var r = api.post("/api/v1/runs/" + id + "/metrics",
                "{\"points\": [{\"key\": \"loss\", \"step\": " + step + ", \"value\": " + (1.0 / (step + 1)) + "}]}");
        if (r.status() != 200) {
            throw new IllegalStateException("POST metrics answered " + r.status() + ": " + r.body());
        }
    }

    private static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static String stats(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)", at(sorted, 0.5), at(sorted, 0.95),
                sorted.get(sorted.size() - 1), sorted.size());
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.add(text);
    }
}

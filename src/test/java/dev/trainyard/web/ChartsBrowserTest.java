package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The run page's charts on series that used to break them, and a queued job's place, in a real
 * browser (the setup of {@link DashboardBrowserTest}). Screenshots go to target/screenshots/charts-*.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=1")
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class ChartsBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** Per dataset of the chart of a key: [x, y, nf, radius drawn] of each point, once the chart has drawn. */
    static final String DRAWN = """
            var key = arguments[0];
            var figure = Array.prototype.find.call(document.querySelectorAll('figure[data-key]'),
                function (f) { return f.dataset.key === key; });
            var chart = figure && Chart.getChart(figure.querySelector('canvas'));
            if (!chart) { return null; }
            return chart.data.datasets.map(function (d, i) {
              var meta = chart.getDatasetMeta(i);
              return d.data.map(function (p, j) {
                var el = meta.data[j];
                return [p.x, isFinite(p.y) ? p.y : null, p.nf || null, el && el.options ? el.options.radius : null];
              });
            });""";

    static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.consoleErrors()).as("errors in the browser console").isEmpty();
    }

    @Test
    void aOnePointSeriesIsDrawnAsAMarker() {
        var api = new Api(port);
        String id = scriptRun(api, "one point");
        log(api, id, "{\"key\": \"exact\", \"step\": 100, \"value\": 1}");

        open("/runs/" + id);
        List<List<Object>> points = waitForPoints("exact", 1);

        assertThat(points.get(0)).as("x, y, nf, radius").containsExactly(100L, 1L, null, 3L);
        browser.screenshot("charts-1-one-point");
    }

    /** The README's own example: 0.93, then NaN. The loss chart shows the point and marks the gap. */
    @Test
    void nanAndInfinityAreMarkedGapsWithANote() {
        var api = new Api(port);
        String id = scriptRun(api, "nan");
        log(api, id, "{\"key\": \"loss\", \"step\": 1, \"value\": 0.93}, {\"key\": \"loss\", \"step\": 2, \"value\": \"NaN\"}, "
                + "{\"key\": \"grad\", \"step\": 1, \"value\": 1}, {\"key\": \"grad\", \"step\": 2, \"value\": 2}, "
                + "{\"key\": \"grad\", \"step\": 3, \"value\": \"Infinity\"}, {\"key\": \"grad\", \"step\": 4, \"value\": \"-Infinity\"}, "
                + "{\"key\": \"broken\", \"step\": 1, \"value\": \"NaN\"}, {\"key\": \"broken\", \"step\": 2, \"value\": \"NaN\"}");

        open("/runs/" + id);
        List<List<Object>> loss = waitForPoints("loss", 2);

        assertThat(loss.get(0)).as("the lone finite point has a marker").containsExactly(1L, 0.93, null, 3L);
        assertThat(loss.get(1).subList(0, 3)).as("the NaN is a gap that knows what it was").containsExactly(2L, null, "NaN");
        assertThat(note("loss")).isEqualTo("× NaN at step 2");
        waitForPoints("grad", 4);
        assertThat(note("grad")).isEqualTo("▲ +Infinity at step 3; ▼ -Infinity at step 4");
        waitForPoints("broken", 2);
        assertThat(note("broken")).as("a series of nothing but NaN still says so").isEqualTo("× NaN at steps 1, 2");
        browser.screenshot("charts-2-nan-marker");

        open("/compare?runs=" + id);
        List<List<Object>> compared = waitForPoints("loss", 2);
        assertThat(compared.get(0).get(3)).as("the compare page marks the lone point too").isEqualTo(3L);
        assertThat(compared.get(1).get(2)).isEqualTo("NaN");
        assertThat(note("loss")).as("and notes the NaN").isEqualTo("× NaN at step 2");
        browser.screenshot("charts-2-nan-marker-compare");
    }

    @Test
    void prefixedKeysFallIntoCollapsibleSectionsAndLongTitlesAreClippedWithTheNameOnHover() {
        var api = new Api(port);
        String id = scriptRun(api, "sections");
        String longKey = "val/" + "a_very_long_metric_name_that_would_never_fit_".repeat(3) + "end";
        log(api, id, "{\"key\": \"loss\", \"step\": 1, \"value\": 1}, {\"key\": \"loss\", \"step\": 2, \"value\": 0.5}, "
                + "{\"key\": \"train/loss\", \"step\": 1, \"value\": 1}, {\"key\": \"train/loss\", \"step\": 2, \"value\": 0.4}, "
                + "{\"key\": \"train/acc\", \"step\": 1, \"value\": 0.1}, {\"key\": \"train/acc\", \"step\": 2, \"value\": 0.6}, "
                + "{\"key\": \"" + longKey + "\", \"step\": 1, \"value\": 3}, {\"key\": \"" + longKey + "\", \"step\": 2, \"value\": 2}, "
                + "{\"key\": \"val/loss\", \"step\": 1, \"value\": 2}, {\"key\": \"val/loss\", \"step\": 2, \"value\": 1}");

        open("/runs/" + id);
        waitForPoints(longKey, 2);
        waitForPoints("train/acc", 2);

        assertThat(browser.script("""
                return Array.prototype.map.call(document.querySelectorAll('#charts > *'), function (e) {
                  return e.dataset.key != null ? e.dataset.key : e.dataset.prefix + ':' + Array.prototype.map.call(
                    e.querySelectorAll('figure'), function (f) { return f.dataset.key; }).join(',');
                });""")).as("loose charts first, then a section per prefix").isEqualTo(List.of(
                "loss", "train:train/acc,train/loss", "val:" + longKey + ",val/loss"));

        WebElement title = browser.driver.findElement(By.cssSelector("figure[data-key='" + longKey + "'] .chart-title"));
        assertThat(title.getDomAttribute("title")).as("the whole key on hover").isEqualTo(longKey);
        Map<?, ?> box = (Map<?, ?>) browser.script("""
                var t = arguments[0], figure = t.closest('figure');
                return {clipped: t.scrollWidth > t.clientWidth, titleRight: t.getBoundingClientRect().right,
                  figureRight: figure.getBoundingClientRect().right, figureWidth: figure.getBoundingClientRect().width,
                  gridWidth: figure.parentNode.getBoundingClientRect().width};""", title);
        assertThat(box.get("clipped")).as("the title is clipped, " + box).isEqualTo(true);
        assertThat(((Number) box.get("titleRight")).doubleValue()).as("inside its card, " + box)
                .isLessThanOrEqualTo(((Number) box.get("figureRight")).doubleValue());
        assertThat(((Number) box.get("figureWidth")).doubleValue()).as("the card keeps to its column, " + box)
                .isLessThan(((Number) box.get("gridWidth")).doubleValue());
        assertThat(browser.number("""
                var select = document.getElementById('x-axis').getBoundingClientRect();
                var charts = document.getElementById('charts').getBoundingClientRect();
                return select.right <= charts.right && select.width < charts.width / 2 ? 1 : 0;""")).as(
                "the x-axis choice, which offers the long key, keeps its size").isEqualTo(1);
        browser.screenshot("charts-3-sections");

        browser.driver.findElement(By.cssSelector("details[data-prefix='train'] > summary")).click();
        assertThat(browser.driver.findElement(By.cssSelector("figure[data-key='train/loss']")).isDisplayed())
                .as("a closed section hides its charts").isFalse();
        assertThat(browser.driver.findElement(By.cssSelector("figure[data-key='val/loss']")).isDisplayed()).isTrue();
    }

    @Test
    void theXAxisIsTheStepTheTimeOrAnyLoggedMetric() {
        var api = new Api(port);
        String id = scriptRun(api, "x axis");
        StringBuilder points = new StringBuilder();
        for (int step = 0; step < 6; step++) {
            points.append(step == 0 ? "" : ", ").append("{\"key\": \"loss\", \"step\": ").append(step).append(", \"value\": ")
                    .append(1.0 / (step + 1)).append("}, {\"key\": \"epoch\", \"step\": ").append(step).append(", \"value\": ")
                    .append(step / 2).append("}");
        }
        log(api, id, points.toString());

        open("/runs/" + id);
        waitForPoints("loss", 6);
        waitForPoints("epoch", 6);
        assertThat(xs("loss")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);

        var axis = new Select(browser.driver.findElement(By.id("x-axis")));
        axis.selectByValue("metric:epoch");
        assertThat(xs("loss")).as("each point at the epoch logged with its step").containsExactly(0L, 0L, 1L, 1L, 2L, 2L);
        assertThat(xTitle("loss")).isEqualTo("epoch");
        browser.screenshot("charts-4-x-epoch");

        axis.selectByValue("relative");
        assertThat(xs("loss")).as("seconds since the run started").allSatisfy(x -> assertThat(((Number) x).doubleValue())
                .isBetween(0.0, 600.0));
        axis.selectByValue("wall");
        long now = System.currentTimeMillis();
        assertThat(xs("loss")).as("the times the points were logged").allSatisfy(x -> assertThat(((Number) x).longValue())
                .isBetween(now - 600_000, now));
        assertThat(xTitle("loss")).isEqualTo("time");
    }

    @Test
    void aQueuedJobShowsItsPlaceAndNoEtaUntilItRuns() {
        var api = new Api(port);
        String busy = job(api, "busy");
        String second = job(api, "second");
        String third = job(api, "third");
        try {
            browser.waiting(WAIT).until(d -> "RUNNING".equals(api.get("/api/v1/runs/" + busy).json().get("state").asString()));

            open("/runs/" + third);
            WebElement place = browser.driver.findElement(By.id("queue-place"));
            assertThat(place.getText()).isEqualTo("position 2 in the queue · 0 idle workers");
            assertThat(browser.driver.findElement(By.id("progress-eta")).getText()).as("no ETA while queued").isEmpty();
            browser.screenshot("charts-5-queue-position");

            api.post("/api/v1/runs/" + busy + "/cancel", "");
            browser.waiting(WAIT).until(d -> place.getText().equals("position 1 in the queue · 0 idle workers"));

            api.post("/api/v1/runs/" + second + "/cancel", "");
            browser.waiting(WAIT).until(d -> !place.isDisplayed());
            browser.waiting(WAIT).until(d -> browser.driver.findElement(By.id("progress-eta")).getText().startsWith("ETA "));
        } finally {
            for (String run : List.of(busy, second, third)) {
                api.post("/api/v1/runs/" + run + "/cancel", "");
            }
        }
    }

    /** The page's own formats, which live updates write, match the server's (SmallThingsTest). */
    @Test
    void shortDurationsKeepTheirTenthsInThePage() {
        open("/runs/" + scriptRun(new Api(port), "durations"));
        assertThat(browser.script("return [1.4, 0.4, 2, 65].map(Trainyard.duration)")).isEqualTo(List.of("1.4s", "0.4s", "2.0s", "1m 5s"));
    }

    private static String scriptRun(Api api, String name) {
        var created = api.post("/api/v1/runs", "{\"project\": \"charts\", \"name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static void log(Api api, String id, String points) {
        var logged = api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [" + points + "]}");
        assertThat(logged.status()).as(logged.body()).isEqualTo(200);
    }

    private static String job(Api api, String name) {
        var created = api.post("/api/v1/runs", "{\"project\": \"charts\", \"name\": \"" + name
                + "\", \"job\": {\"model\": \"seed-rnn\", \"steps\": 100000}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private void open(String path) {
        browser.open(port, path, WAIT);
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> waitForPoints(String key, int count) {
        browser.waiting(WAIT).until(d -> {
            var drawn = (List<List<List<Object>>>) browser.script(DRAWN, key);
            return drawn != null && !drawn.isEmpty() && drawn.get(0).size() == count && drawn.get(0).get(0).get(3) != null;
        });
        return ((List<List<List<Object>>>) browser.script(DRAWN, key)).get(0);
    }

    private List<Object> xs(String key) {
        return waitForPoints(key, 6).stream().map(p -> p.get(0)).toList();
    }

    private Object xTitle(String key) {
        return browser.script("""
                var key = arguments[0];
                var figure = Array.prototype.find.call(document.querySelectorAll('figure[data-key]'),
                    function (f) { return f.dataset.key === key; });
                return Chart.getChart(figure.querySelector('canvas')).options.scales.x.title.text;""", key);
    }

    private String note(String key) {
        return browser.driver.findElement(By.cssSelector("figure[data-key='" + key + "'] .chart-note")).getText();
    }
}

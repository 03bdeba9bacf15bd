package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The compare page and the parallel coordinates in a real browser, over script runs made through the
 * API (no training needed): grouping with a band, the shared legend, the config-difference table,
 * adding and removing runs, and brushing an axis. Screenshots go to target/screenshots/compare-*.png.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=1")
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class CompareBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** Per dataset of the chart of a key: {role, group, run, hidden, points}. */
    static final String DATASETS = """
            var key = arguments[0];
            var figure = null;
            document.querySelectorAll('figure[data-key]').forEach(function (f) { if (f.dataset.key === key) { figure = f; } });
            var chart = figure && Chart.getChart(figure.querySelector('canvas'));
            if (!chart) { return []; }
            return chart.data.datasets.map(function (d, i) {
              return {role: d.role || d.band || 'run', group: d.group || '', run: d.run || '', hidden: !chart.isDatasetVisible(i),
                points: d.data.length, ys: d.data.map(function (p) { return p.y; })};
            });""";

    static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
        // Tall enough that a screenshot holds the legend, the config table and the first row of charts.
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 1500));
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
    void groupedByModelEachGroupDrawsItsMeanWithAStdBandAroundIt() {
        var api = new Api(port);
        List<String> ids = new ArrayList<>();
        for (String model : List.of("lstm", "gru")) {
            for (int s = 0; s < 3; s++) {
                // lstm ends lower than gru; the seeds spread each around its own curve
                double base = model.equals("lstm") ? 1.0 : 2.0;
                int seed = s;
                ids.add(run(api, "cmp-group", model + " s" + seed, Map.of("model", model, "seed", seed, "lr", 0.01),
                        step -> base / (1 + step * 0.1) + 0.15 * (seed - 1)));
            }
        }
        open("/compare?runs=" + String.join(",", ids));
        browser.waiting(WAIT).until(d -> datasets("loss").size() == 6 && datasets("loss").stream()
                .allMatch(s -> ((Number) s.get("points")).intValue() == 60));

        new Select(browser.driver.findElement(By.id("group-by"))).selectByValue("model");

        var sets = datasets("loss");
        assertThat(sets).filteredOn(s -> s.get("role").equals("run")).hasSize(6).allMatch(s -> (Boolean) s.get("hidden"));
        assertThat(sets).filteredOn(s -> s.get("role").equals("mean")).extracting(s -> s.get("group"))
                .containsExactly("lstm", "gru");
        assertThat(browser.driver.findElements(By.cssSelector("#group-legend li"))).extracting(WebElement::getText)
                .hasSize(2).anySatisfy(t -> assertThat(t).contains("model = lstm").contains("3 runs"));
        // at the first step lstm's seeds are 0.85, 1.0 and 1.15: the mean is 1.0 and the population std 0.1225
        var lstmLower = ys(sets, "lower", "lstm");
        var lstmUpper = ys(sets, "upper", "lstm");
        var lstmMean = ys(sets, "mean", "lstm");
        assertThat(lstmMean.get(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lstmUpper.get(0) - lstmMean.get(0)).isCloseTo(Math.sqrt(2 * 0.15 * 0.15 / 3), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lstmMean.get(0) - lstmLower.get(0)).isCloseTo(lstmUpper.get(0) - lstmMean.get(0), org.assertj.core.data.Offset.offset(1e-9));
        browser.screenshot("compare-1-grouped-std-band");

        new Select(browser.driver.findElement(By.id("band"))).selectByValue("minmax");
        sets = datasets("loss");
        assertThat(ys(sets, "upper", "lstm").get(0)).isCloseTo(1.15, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ys(sets, "lower", "lstm").get(0)).isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-9));

        // soloing a group hides the other's mean and band
        groupButton("gru", "solo").click();
        assertThat(datasets("loss")).filteredOn(s -> s.get("group").equals("lstm")).allMatch(s -> (Boolean) s.get("hidden"));
        assertThat(datasets("loss")).filteredOn(s -> s.get("group").equals("gru")).noneMatch(s -> (Boolean) s.get("hidden"));
        browser.screenshot("compare-2-grouped-minmax-solo");
    }

    @Test
    void theSharedLegendHidesAndSolosARunOnEveryChart() {
        var api = new Api(port);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            ids.add(run(api, "cmp-legend", "run " + i, Map.of("model", "lstm", "seed", i), step -> 1.0 / (1 + step) + n));
        }
        open("/compare?runs=" + String.join(",", ids));
        browser.waiting(WAIT).until(d -> datasets("accuracy").size() == 4 && datasets("loss").size() == 4);
        assertThat(browser.driver.findElements(By.cssSelector(".legend:not([hidden])"))).as("one legend for all the charts").hasSize(1);
        assertThat(browser.script("return Chart.getChart(document.querySelector('figure[data-key=\"loss\"] canvas')).options.plugins.legend.display"))
                .isEqualTo(false);

        runButton(ids.get(1), "hide").click();
        for (String key : List.of("loss", "accuracy")) {
            assertThat(datasets(key)).extracting(s -> s.get("hidden")).containsExactly(false, true, false, false);
        }
        runButton(ids.get(2), "solo").click();
        for (String key : List.of("loss", "accuracy")) {
            assertThat(datasets(key)).extracting(s -> s.get("hidden")).containsExactly(true, true, false, true);
        }
        assertThat(runButton(ids.get(2), "solo").getAttribute("aria-pressed")).isEqualTo("true");
        browser.screenshot("compare-3-legend-solo");
        // un-soloing brings the others back, the hidden one stays hidden
        runButton(ids.get(2), "solo").click();
        assertThat(datasets("loss")).extracting(s -> s.get("hidden")).containsExactly(false, true, false, false);
        browser.screenshot("compare-4-legend-hidden");
    }

    @Test
    void theConfigDifferenceTableShowsOnlyTheKeysThatDifferAndRunsAreAddedAndRemovedOnThePage() {
        var api = new Api(port);
        String a = run(api, "cmp-diff", "base", Map.of("model", "lstm", "lr", 0.01, "hidden", 64, "seed", 1), step -> 1.0 / (1 + step));
        String b = run(api, "cmp-diff", "higher lr", Map.of("model", "lstm", "lr", 0.1, "hidden", 64, "seed", 1), step -> 2.0 / (1 + step));
        String c = run(api, "cmp-diff", "gru", Map.of("model", "gru", "lr", 0.01, "hidden", 64, "seed", 2), step -> 3.0 / (1 + step));

        open("/compare?runs=" + a);
        assertThat(browser.driver.findElement(By.id("config-diff")).getText()).contains("One run");
        // the add field offers the project's other runs
        browser.waiting(WAIT).until(d -> d.findElements(By.cssSelector("#run-choices option")).size() == 2);
        var field = browser.driver.findElement(By.id("add-run"));
        field.sendKeys(b + "," + c);
        browser.driver.findElement(By.cssSelector("#add-runs button[type=submit]")).click();
        browser.waiting(WAIT).until(d -> d.findElements(By.cssSelector("#legend li")).size() == 3);

        var headers = browser.driver.findElements(By.cssSelector("#config-diff-table thead th")).stream().map(WebElement::getText).toList();
        assertThat(headers).containsExactlyInAnyOrder("run", "model", "lr", "seed");
        var highlighted = browser.driver.findElements(By.cssSelector("#config-diff-table td.differs")).stream()
                .map(WebElement::getText).toList();
        // lr 0.1, model gru and seed 2 are each off what the other two share
        assertThat(highlighted).containsExactlyInAnyOrder("0.1", "gru", "2");
        browser.screenshot("compare-5-config-difference");

        browser.driver.findElement(By.cssSelector("#legend li[data-run='" + b + "'] .remove-run")).click();
        browser.waiting(WAIT).until(d -> d.findElements(By.cssSelector("#legend li")).size() == 2);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/compare?runs=" + a + "," + c);
    }

    @Test
    @SuppressWarnings("unchecked")
    void brushingAnAxisOfTheParallelCoordinatesKeepsOnlyTheRunsInItsRange() {
        var api = new Api(port);
        List<String> ids = new ArrayList<>();
        double[] lrs = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3};
        for (int i = 0; i < 12; i++) {
            double lr = lrs[i % lrs.length];
            String model = i % 2 == 0 ? "lstm" : "gru";
            int n = i;
            ids.add(run(api, "cmp-pc", "pc " + i, Map.of("model", model, "lr", lr, "seed", n, "batch", 32),
                    step -> Math.abs(Math.log10(lr) + 2) + 0.05 * n + 1.0 / (1 + step)));
        }
        open("/params?project=cmp-pc");
        browser.waiting(WAIT).until(d -> "true".equals(d.findElement(By.id("params")).getAttribute("data-ready")));
        assertThat(browser.driver.findElement(By.id("pc-count")).getText()).isEqualTo("12 runs");
        // batch is 32 for all: no axis; model, lr and seed vary; then the metric
        assertThat((List<Object>) browser.script("return echarts.getInstanceByDom(document.getElementById('parallel'))"
                + ".getOption().parallelAxis.map(function (a) { return a.name; })"))
                .containsExactlyInAnyOrder("model", "lr", "seed", "loss");
        browser.screenshot("compare-6-parallel");

        // lr spans three decades, so its axis is logarithmic: 0.001 at the bottom, 0.3 or 1 at the top
        assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('parallel'))"
                + ".getOption().parallelAxis[arguments[0]].type", axisIndex("lr"))).isEqualTo("log");
        // drag along the lr axis over its upper part: lr from about 0.05 up
        drag(axisIndex("lr"), 0.62, 1.02);
        browser.waiting(WAIT).until(d -> !"12".equals(d.findElement(By.id("params")).getAttribute("data-kept")));
        long kept = Long.parseLong(browser.driver.findElement(By.id("params")).getAttribute("data-kept"));
        // the lr values 0.1 and 0.3 are 4 of the 12 runs
        assertThat(kept).isEqualTo(4);
        assertThat(browser.driver.findElement(By.id("pc-count")).getText()).isEqualTo("4 of 12 runs within the brushes");
        String compare = browser.driver.findElement(By.id("pc-compare")).getAttribute("href");
        assertThat(compare).contains("/compare?runs=");
        assertThat(compare.replaceAll(".*runs=", "").split(",")).hasSize(4)
                .allSatisfy(id -> assertThat(id).isIn(ids.get(4), ids.get(5), ids.get(10), ids.get(11)));
        // the scatter (model against loss by default) keeps all 12 points, those outside the brush faded
        assertThat((List<Object>) browser.script("return echarts.getInstanceByDom(document.getElementById('scatter')).getOption()"
                + ".series[0].data.map(function (p) { return p.itemStyle.opacity < 0.5; })"))
                .hasSize(12).filteredOn(Boolean.TRUE::equals).hasSize(8);
        browser.screenshot("compare-7-parallel-brushed");

        // the same plot on the compare page: the brush hides the other runs' lines too
        browser.driver.get(compare.replaceAll("runs=.*", "runs=") + String.join(",", ids));
        browser.waiting(WAIT).until(d -> "true".equals(d.findElement(By.id("params")).getAttribute("data-ready")));
        browser.waiting(WAIT).until(d -> datasets("loss").size() == 12);
        drag(axisIndex("lr"), 0.62, 1.02);
        browser.waiting(WAIT).until(d -> "4".equals(d.findElement(By.id("params")).getAttribute("data-kept")));
        assertThat(datasets("loss")).filteredOn(s -> !(Boolean) s.get("hidden")).extracting(s -> s.get("run"))
                .containsExactlyInAnyOrder(ids.get(4), ids.get(5), ids.get(10), ids.get(11));
        assertThat(browser.driver.findElements(By.cssSelector("#legend li.filtered"))).hasSize(8);
        browser.screenshot("compare-8-compare-brushed");

        browser.driver.findElement(By.id("pc-clear")).click();
        browser.waiting(WAIT).until(d -> "12".equals(d.findElement(By.id("params")).getAttribute("data-kept")));
        assertThat(datasets("loss")).noneMatch(s -> (Boolean) s.get("hidden"));
    }

    /** An external run with a config, 60 steps of loss (by {@code loss}) and accuracy, finished. */
    private static String run(Api api, String project, String name, Map<String, Object> config,
            java.util.function.IntToDoubleFunction loss) {
        var created = api.post("/api/v1/runs", json(Map.of("project", project, "name", name,
                "config", config)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        var points = new StringBuilder("{\"points\": [");
        var random = new Random(name.hashCode());
        for (int step = 0; step < 60; step++) {
            if (step > 0) {
                points.append(',');
            }
            points.append("{\"key\": \"loss\", \"step\": ").append(step).append(", \"value\": ").append(loss.applyAsDouble(step))
                    .append("}, {\"key\": \"accuracy\", \"step\": ").append(step).append(", \"value\": ")
                    .append(Math.min(1, step / 60.0 + random.nextDouble() * 0.01)).append('}');
        }
        var logged = api.post("/api/v1/runs/" + id + "/metrics", points.append("]}").toString());
        assertThat(logged.status()).as(logged.body()).isBetween(200, 204);
        return id;
    }

    private static String json(Object value) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value);
    }

    private void open(String path) {
        browser.open(port, path, WAIT);
        browser.waiting(WAIT).until(d -> "true".equals(d.findElement(By.id("main")).getAttribute("data-ready"))
                || d.findElements(By.id("charts")).isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> datasets(String key) {
        return (List<Map<String, Object>>) browser.script(DATASETS, key);
    }

    @SuppressWarnings("unchecked")
    private static List<Double> ys(List<Map<String, Object>> sets, String role, String group) {
        return sets.stream().filter(s -> s.get("role").equals(role) && s.get("group").equals(group)).findFirst()
                .map(s -> ((List<Number>) s.get("ys")).stream().map(Number::doubleValue).toList()).orElseThrow();
    }

    private static WebElement runButton(String runId, String what) {
        return browser.driver.findElement(By.cssSelector("#legend li[data-run='" + runId + "'] ." + what + "-run"));
    }

    private static WebElement groupButton(String group, String what) {
        return browser.driver.findElement(By.cssSelector("#group-legend li[data-group='" + group + "'] ." + what + "-run"));
    }

    private static int axisIndex(String name) {
        return ((Number) browser.script("return echarts.getInstanceByDom(document.getElementById('parallel'))"
                + ".getOption().parallelAxis.map(function (a) { return a.name; }).indexOf(arguments[0])", name)).intValue();
    }

    /**
     * A mouse drag along axis {@code axis}, from {@code from} to {@code to} of its length (0 the bottom, 1 the
     * top), where params.js lays the axes out: evenly between the plot's left and right margins.
     */
    private static void drag(int axis, double from, double to) {
        // The pointer's actions happen where the plot is on screen: it must be in the window.
        browser.script("document.getElementById('parallel').scrollIntoView({block: 'center'});");
        @SuppressWarnings("unchecked")
        var box = (Map<String, Number>) browser.script("""
                var chart = echarts.getInstanceByDom(document.getElementById('parallel'));
                var p = chart.getOption().parallel[0];
                return {width: chart.getWidth(), height: chart.getHeight(), left: p.left, right: p.right, top: p.top,
                  bottom: p.bottom, axes: chart.getOption().parallelAxis.length};""");
        double width = box.get("width").doubleValue();
        double height = box.get("height").doubleValue();
        double left = box.get("left").doubleValue();
        double plot = width - left - box.get("right").doubleValue();
        double x = left + axis * plot / (box.get("axes").intValue() - 1);
        double top = box.get("top").doubleValue();
        double length = height - top - box.get("bottom").doubleValue();
        double y0 = top + (1 - from) * length;
        double y1 = top + (1 - Math.min(to, 1.04)) * length;
        WebElement canvas = browser.driver.findElement(By.cssSelector("#parallel canvas"));
        // Selenium's offsets count from the element's centre
        int cx = (int) Math.round(x - width / 2);
        new Actions(browser.driver).moveToElement(canvas, cx, (int) Math.round(y0 - height / 2)).clickAndHold()
                .moveByOffset(0, (int) Math.round((y1 - y0) / 2)).moveByOffset(0, (int) Math.round((y1 - y0) / 2)).release().perform();
    }
}

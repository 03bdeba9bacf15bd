package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard in a real browser (headless Debian chromium), against the whole server with real
 * training jobs. One browser for the class; each scenario leaves a screenshot in target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=2")
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class DashboardBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String XSS = "<script>alert(1)</script>";

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
    void launchingFromTheFormDrawsTheLossAsItTrainsWithoutAReload() {
        var api = new Api(port);
        open("/launch");
        type("project", "browser");
        type("name", "watched");
        type("steps", "100000");
        browser.driver.findElement(By.id("launch-button")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlMatches("/runs/[^/]+$"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*/runs/", "");
        try {
            browser.script("window.__sameDocument = true;");
            browser.waiting(WAIT).until(d -> lossPoints() > 0);
            long first = lossPoints();
            browser.waiting(WAIT).until(d -> lossPoints() > first + 20);
            assertThat(browser.script("return window.__sameDocument === true")).as("the page was not reloaded").isEqualTo(true);
            assertThat(badge()).isEqualTo("RUNNING");
            assertThat(browser.driver.findElement(By.id("progress-text")).getText()).matches("step \\d+ of 100000");
            browser.screenshot("1-live-chart");
        } finally {
            api.post("/api/v1/runs/" + id + "/cancel", "");
        }
    }

    /**
     * An MLflow script's {@code log_metric("loss", v)} without a step puts every value at step 0:
     * the run page charts each one by its position, and keeps adding them live.
     */
    @Test
    void anMlflowLoopWithoutStepsIsChartedPointByPointAsItLogs() {
        var api = new Api(port);
        String id = api.post("/api/2.0/mlflow/runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        for (int i = 0; i < 3; i++) {
            logAtStepZero(api, id, i);
        }
        open("/runs/" + id);
        browser.waiting(WAIT).until(d -> lossPoints() == 3);
        assertThat(browser.script("return Chart.getChart(document.querySelector('figure[data-key=\"loss\"] canvas'))"
                + ".options.scales.x.title.text")).isEqualTo("point (in the order logged)");
        for (int i = 3; i < 8; i++) {
            logAtStepZero(api, id, i);
        }
        browser.waiting(WAIT).until(d -> lossPoints() == 8);
        browser.screenshot("2-mlflow-sequence");
        api.post("/api/2.0/mlflow/runs/update", "{\"run_id\": \"" + id + "\", \"status\": \"FINISHED\"}");
    }

    private static void logAtStepZero(Api api, String runId, int i) {
        var logged = api.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": "
                + (1.0 / (i + 1)) + ", \"timestamp\": " + (System.currentTimeMillis() + i) + "}");
        assertThat(logged.status()).as(logged.body()).isEqualTo(200);
    }

    @Test
    void cancellingARunningJobFromItsPageTurnsTheBadgeLive() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "browser", "name": "to cancel", "job": {"model": "seed-rnn", "epochs": 100000}}""")
                .json().get("id").asString();
        open("/runs/" + id);
        browser.waiting(WAIT).until(d -> badge().equals("RUNNING"));
        browser.waiting(WAIT).until(d -> lossPoints() > 0);

        browser.driver.findElement(By.id("cancel-button")).click();

        browser.waiting(WAIT).until(d -> badge().equals("CANCELLED"));
        assertThat(browser.driver.findElement(By.cssSelector("#state-badge .badge")).getAttribute("class"))
                .contains("state-cancelled");
        assertThat(browser.driver.findElement(By.id("cancel-button")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("progress-eta")).getText()).isEmpty();
        browser.screenshot("2-cancelled");
        assertThat(api.get("/api/v1/runs/" + id).json().get("state").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void theThreeModelComparisonLaunchesFromTheFormAndDrawsThreeSeries() {
        open("/launch");
        type("project", "browser-compare");
        type("name", "trio");
        new Select(browser.driver.findElement(By.name("dataset"))).selectByValue("memorize");
        type("memorizeLength", "8");
        type("steps", "40");
        browser.driver.findElement(By.id("compare-models")).click();

        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/compare?runs="));
        assertThat(browser.driver.findElements(By.cssSelector(".legend li"))).extracting(WebElement::getText)
                .hasSize(3)
                .anySatisfy(t -> assertThat(t).contains("trio (rnn)").contains("rnn"))
                .anySatisfy(t -> assertThat(t).contains("trio (gru)"))
                .anySatisfy(t -> assertThat(t).contains("trio (lstm)"));
        // The Content-Security-Policy forbids style attributes: the page's script colours the swatches.
        assertThat((List<?>) browser.script("return Array.from(document.querySelectorAll('.legend .swatch'))"
                + ".map(function (s) { return getComputedStyle(s).backgroundColor; });"))
                .hasSize(3).allSatisfy(c -> assertThat(c).isNotEqualTo("rgba(0, 0, 0, 0)")).doesNotHaveDuplicates();
        // The runs train while the page is open: the loss chart appears and fills from the project's stream.
        browser.waiting(Duration.ofSeconds(120)).until(d -> {
            List<?> counts = (List<?>) browser.script(Browser.POINTS, "loss");
            return counts.size() == 3 && counts.stream().allMatch(c -> ((Number) c).longValue() > 0);
        });
        browser.screenshot("3-compare");
    }

    @Test
    void anOutOfRangeValueIsExplainedNextToItsField() {
        open("/launch");
        type("hidden", "5000");
        browser.driver.findElement(By.id("launch-button")).click();

        WebElement error = browser.waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//input[@name='hidden']/parent::div[contains(@class, 'field')]/span[@class='field-error']")));
        assertThat(error.getText()).isEqualTo("must be less than or equal to 1024");
        assertThat(browser.driver.findElement(By.name("hidden")).getAttribute("value")).isEqualTo("5000");
        assertThat(browser.driver.findElement(By.name("hidden")).getAttribute("class")).contains("invalid");
        browser.screenshot("4-validation");
    }

    @Test
    void aScriptInARunsNameTagsAndNotesStaysText() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "browser-xss", "name": "%s", "tags": ["<b>bold</b>"], "notes": "<img src=x onerror=alert(2)>"}"""
                .formatted(XSS)).json().get("id").asString();
        api.post("/api/v1/runs/" + id + "/metrics", """
                {"points": [{"key": "loss", "step": 1, "value": 0.5}, {"key": "loss", "step": 2, "value": 0.25}]}""");

        open("/projects/browser-xss");
        assertThat(browser.driver.findElement(By.cssSelector("td.name a")).getText()).isEqualTo(XSS);
        assertThat(browser.driver.findElement(By.cssSelector("td.name li")).getText()).isEqualTo("<b>bold</b>");
        browser.screenshot("5-project-table");
        // A renamed run's next update arrives through the project stream, and its name is written as text too.
        api.patch("/api/v1/runs/" + id, "{\"name\": \"<img src=x onerror=alert(3)>\"}");
        api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 3, \"value\": 0.125}]}");
        browser.waiting(WAIT).until(d -> d.findElement(By.cssSelector("td.name a")).getText().equals("<img src=x onerror=alert(3)>"));
        noAlert();
        // A run created meanwhile goes on top of the table, also from the stream.
        api.post("/api/v1/runs", "{\"project\": \"browser-xss\", \"name\": \"<u>newer</u>\"}");
        browser.waiting(WAIT).until(d -> d.findElement(By.cssSelector("td.name a")).getText().equals("<u>newer</u>"));
        assertThat(browser.driver.findElements(By.cssSelector("#runs-table tbody tr"))).hasSize(2);
        api.patch("/api/v1/runs/" + id, "{\"name\": \"" + XSS.replace("/", "\\/") + "\"}");

        open("/runs/" + id);
        assertThat(browser.driver.findElement(By.id("run-name")).getText()).isEqualTo(XSS);
        assertThat(browser.driver.findElement(By.id("notes")).getAttribute("value")).isEqualTo("<img src=x onerror=alert(2)>");
        assertThat(browser.driver.findElement(By.cssSelector("#tag-list li")).getText()).isEqualTo("<b>bold</b>");
        noAlert();

        open("/compare?runs=" + id);
        browser.waiting(WAIT).until(d -> "true".equals(d.findElement(By.id("main")).getAttribute("data-ready")));
        assertThat(browser.driver.findElement(By.cssSelector(".legend li a")).getText()).isEqualTo(XSS);
        assertThat(browser.script(Browser.POINTS, "loss")).isEqualTo(List.of(3L));
        noAlert();
        browser.screenshot("5-escaped");
    }

    @Test
    void theMemoryHorizonLauncherStartsASweepWhosePageChartsAccuracyAgainstLength() {
        open("/launch");
        type("project", "browser-horizon");
        new Select(browser.driver.findElement(By.name("model"))).selectByValue("gru");
        assertThat(browser.driver.findElement(By.name("layers")).getAttribute("value")).as("gru's defaults").isEqualTo("1");
        type("horizon-steps", "10");
        type("horizon-hidden", "16");
        browser.driver.findElement(By.cssSelector("#horizon-form input[name='models'][value='lstm']")).click();
        type("lengths", "4, 8");
        browser.driver.findElement(By.id("horizon-button")).click();

        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/sweeps/"));
        // the two models' lines, and the chance line across the lengths
        browser.waiting(Duration.ofSeconds(120)).until(d -> List.of(2L, 2L, 2L).equals(browser.script("""
                var chart = Chart.getChart(document.getElementById('sweep-chart'));
                return chart ? chart.data.datasets.map(function (d) { return d.data.length; }) : [];""")));
        assertThat(browser.driver.findElements(By.cssSelector("#sweep-table tbody tr"))).hasSize(4);
        // gru's own defaults are left to it: only what the launcher sets is in the base
        assertThat(sweepBase()).isEqualTo(java.util.Map.of("steps", 10L, "hidden", 16L, "batchSize", 32L));
        browser.screenshot("6-horizon");
    }

    /** seed-rnn is the form's first model; its hidden 35, learning rate 0.01 and mse are not the char models' base. */
    @Test
    void aHorizonSweepLaunchedWithSeedRnnShownUsesEachModelsOwnDefaults() {
        open("/launch");
        type("project", "browser-horizon-defaults");
        assertThat(new Select(browser.driver.findElement(By.name("model"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("seed-rnn");
        assertThat(browser.driver.findElement(By.name("hidden")).getAttribute("value")).isEqualTo("35");
        type("horizon-steps", "2");
        type("lengths", "3");
        browser.driver.findElement(By.id("horizon-button")).click();

        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/sweeps/"));
        assertThat(sweepBase()).isEqualTo(java.util.Map.of("steps", 2L, "hidden", 64L, "batchSize", 32L));
    }

    /** The sweeps list links to a sweep whose chart labels every length, draws chance and says where each model falls off. */
    @Test
    void theSweepPageLabelsEveryLengthDrawsChanceAndNamesEachModelsFallOff() {
        var api = new Api(port);
        String id = api.post("/api/v1/sweeps", """
                {"project": "browser-sweeps", "name": "tiny-horizon", "models": ["rnn", "gru"], "lengths": [3, 6, 12],
                 "seeds": [1, 2], "base": {"epochs": 2, "hidden": 8}}""").json().get("id").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/api/v1/sweeps/" + id).json().get("states")
                .path("FINISHED").asInt() == 12);

        open("/sweeps");
        browser.driver.findElement(By.linkText("tiny-horizon")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/sweeps/" + id));
        browser.waiting(WAIT).until(d -> Boolean.TRUE.equals(browser.script(
                "var c = Chart.getChart(document.getElementById('sweep-chart')); return !!c && c.data.datasets.length > 0;")));

        assertThat(browser.script("""
                var x = Chart.getChart(document.getElementById('sweep-chart')).scales.x;
                return x.ticks.map(function (t) { return String(t.label); });"""))
                .isEqualTo(List.of("3", "6", "12"));
        assertThat(browser.script("""
                var c = Chart.getChart(document.getElementById('sweep-chart'));
                var chance = c.data.datasets.filter(function (d) { return d.chance != null; })[0];
                return chance ? [chance.label, chance.data[0].y, chance.data[0].x, chance.data[1].x] : null;"""))
                .isEqualTo(List.of("chance (0.125)", 0.125, 3L, 12L));
        // two seeds: each model has its band, left out of the legend
        assertThat(browser.number("""
                return Chart.getChart(document.getElementById('sweep-chart')).data.datasets
                    .filter(function (d) { return d.band; }).length;""")).isEqualTo(4);
        // two steps of training: both at chance, so both fall off at the first length
        List<String> legend = browser.driver.findElements(By.cssSelector("#sweep-legend li")).stream().map(WebElement::getText)
                .toList();
        assertThat(legend).containsExactly("rnn · falls off at N = 3", "gru · falls off at N = 3");
        assertThat(browser.script("""
                var c = Chart.getChart(document.getElementById('sweep-chart'));
                return c.legend.legendItems.map(function (i) { return i.text; });"""))
                .isEqualTo(List.of("rnn · falls off at N = 3", "gru · falls off at N = 3", "chance (0.125)"));
        assertThat(browser.driver.findElement(By.id("sweep-base")).getText()).contains("steps").contains("hidden")
                .contains("batchSize");
        browser.screenshot("8-sweep-page");
    }

    private java.util.Map<String, Object> sweepBase() {
        String url = browser.driver.getCurrentUrl();
        String id = url.substring(url.lastIndexOf('/') + 1);
        JsonNodeMap base = new JsonNodeMap(new Api(port).get("/api/v1/sweeps/" + id).json().get("base"));
        return base.values();
    }

    /** A JSON object's fields as Java values, numbers as longs. */
    private record JsonNodeMap(tools.jackson.databind.JsonNode node) {
        java.util.Map<String, Object> values() {
            var map = new java.util.LinkedHashMap<String, Object>();
            node.properties().forEach(e -> map.put(e.getKey(), e.getValue().isNumber() ? (Object) e.getValue().asLong()
                    : e.getValue().asString()));
            return map;
        }
    }

    @Test
    void aTextUploadedOnTheDatasetsPageIsListedAndOfferedToTrainOn() throws Exception {
        java.nio.file.Path text = java.nio.file.Files.createTempFile("poems", ".txt");
        java.nio.file.Files.writeString(text, "the cat sat on the mat. ".repeat(2000));
        open("/datasets");
        browser.driver.findElement(By.id("file")).sendKeys(text.toAbsolutePath().toString());
        type("name", "<i>poems</i>");
        browser.driver.findElement(By.id("upload-button")).click();

        // The page reloads with the new dataset in its list.
        WebElement row = browser.waiting(WAIT).until(d -> d.findElements(By.cssSelector("#datasets-table tbody tr")).stream()
                .filter(r -> r.getText().contains("<i>poems</i>")).findFirst().orElse(null));
        assertThat(row.getText()).contains("48,000");
        browser.screenshot("7-datasets");
        row.findElement(By.linkText("Train on it")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/launch"));
        assertThat(new Select(browser.driver.findElement(By.name("dataset"))).getFirstSelectedOption().getText())
                .startsWith("<i>poems</i>");
        java.nio.file.Files.delete(text);
    }

    private void open(String path) {
        browser.open(port, path, WAIT);
    }

    private void type(String name, String text) {
        browser.type(name, text);
    }

    private String badge() {
        return browser.driver.findElement(By.cssSelector("#state-badge .badge")).getText();
    }

    private long lossPoints() {
        return browser.lossPoints();
    }

    private void noAlert() {
        try {
            String text = browser.driver.switchTo().alert().getText();
            throw new AssertionError("a script ran and opened an alert: " + text);
        } catch (NoAlertPresentException expected) {
            // the markup stayed text
        }
    }
}

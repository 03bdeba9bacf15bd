package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The runs table in a real browser (headless Debian chromium): columns chosen from the column menu,
 * a filter on a config value, and a group-by whose rows carry counts and open in place. Many long
 * metric keys must not widen the page: the table scrolls inside its own box. Screenshots go to
 * target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class RunsTableBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final List<String> KEYS = List.of("loss", "accuracy", "validation/cross_entropy_loss", "validation/top5_accuracy",
            "train/gradient_norm_global", "train/learning_rate_schedule", "system/throughput_samples_per_second",
            "system/gpu_memory_allocated_bytes");

    static Browser browser;

    @LocalServerPort
    int port;
    String project;

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

    @BeforeEach
    void runs() {
        var api = new Api(port);
        project = "browser-table-" + System.nanoTime();
        run(api, "slow-gru", "{\"lr\": 0.001, \"model\": \"gru\", \"hidden\": 64}", 3.0);
        run(api, "fast-gru", "{\"lr\": 0.1, \"model\": \"gru\", \"hidden\": 128}", 1.0);
        run(api, "fast-lstm", "{\"lr\": 0.05, \"model\": \"lstm\", \"hidden\": 128}", 2.0);
    }

    @Test
    void columnsChosenFromTheMenuShowConfigValuesAndStayInTheAddress() {
        open("/projects/" + project);
        assertThat(headers()).as("a few metric columns by default").contains("loss", "accuracy").hasSizeLessThanOrEqualTo(11);
        assertThat(pageFits()).as("the page does not scroll sideways").isTrue();

        browser.driver.findElement(By.cssSelector("#column-menu > summary")).click();
        browser.driver.findElement(By.cssSelector("#column-form input[value='config.lr']")).click();
        browser.driver.findElement(By.cssSelector("#column-form input[value='config.model']")).click();
        new Select(browser.driver.findElement(By.cssSelector("#column-form select[data-key='loss']"))).selectByValue("summary.loss:min");
        for (String key : KEYS.subList(2, KEYS.size())) {
            new Select(browser.driver.findElement(By.cssSelector("#column-form select[data-key='" + key + "']")))
                    .selectByValue("summary." + key + ":max");
        }
        browser.driver.findElement(By.id("columns-apply")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("col=config.lr"));

        assertThat(browser.driver.getCurrentUrl()).contains("col=config.model").contains("col=summary.loss%3Amin");
        assertThat(headers()).contains("lr", "model", "loss (min)", "validation/top5_accuracy (max)");
        assertThat(cell("fast-gru", "config.lr")).isEqualTo("0.1");
        assertThat(cell("fast-lstm", "config.model")).isEqualTo("lstm");
        // each key of each run logged 1, its base and twice its base: slow-gru's min is 1 and its max 6
        assertThat(cell("fast-gru", "summary.loss:min")).isEqualTo("1.000");
        assertThat(cell("slow-gru", "summary.loss:min")).isEqualTo("1.000");
        assertThat(cell("slow-gru", "summary.validation/top5_accuracy:max")).isEqualTo("6.000");
        // eight columns of long keys: the table scrolls in its own box, the page does not
        assertThat(pageFits()).as("the page does not scroll sideways").isTrue();
        assertThat(browser.number("var w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth;"))
                .as("the table's box scrolls").isPositive();
        assertThat(browser.number("return document.querySelector('.table-wrap').getBoundingClientRect().right;"))
                .isLessThanOrEqualTo(browser.number("return document.getElementById('main').getBoundingClientRect().right + 1;"));
        browser.screenshot("table-1-config-columns");

        // the address is the state: reloading it shows the same columns
        browser.driver.navigate().refresh();
        browser.waiting(WAIT).until(d -> headers().contains("loss (min)"));
    }

    @Test
    void aConditionOnAConfigValueFiltersTheTable() {
        open("/projects/" + project + "?col=config.lr");
        filter("config.lr>0.01");
        browser.driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("f=config.lr"));

        assertThat(names()).containsExactlyInAnyOrder("fast-gru", "fast-lstm");
        assertThat(browser.driver.findElement(By.cssSelector("#filter-chips code")).getText()).isEqualTo("config.lr>0.01");
        browser.screenshot("table-2-config-filter");

        // a second condition, on a summary, narrows it further; the first chip's × takes the config one away
        filter("loss:max>3");
        browser.driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.waiting(WAIT).until(d -> names().equals(List.of("fast-lstm")));
        browser.driver.findElement(By.cssSelector("#filter-chips li:first-child a")).click();
        browser.waiting(WAIT).until(d -> names().size() == 2);
        assertThat(names()).containsExactlyInAnyOrder("slow-gru", "fast-lstm");

        // a condition that cannot be read is said beside the field, not as an error page
        filter("config.lr>fast");
        browser.driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.waiting(WAIT).until(d -> !d.findElements(By.id("filter-error")).isEmpty());
        assertThat(browser.driver.findElement(By.id("filter-error")).getText()).contains("only a number can be compared with >");
        assertThat(browser.driver.findElement(By.id("filter-input")).getAttribute("value")).isEqualTo("config.lr>fast");
        browser.screenshot("table-3-filter-error");
        browser.consoleErrors(); // the page's own 400 status is logged by the browser as a failed load
    }

    @Test
    void groupingByAConfigKeyFoldsRunsIntoRowsWithCountsThatOpen() {
        open("/projects/" + project);
        new Select(browser.driver.findElement(By.id("group-by"))).selectByValue("config.model");
        browser.driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("groupBy=config.model"));

        List<WebElement> groups = browser.driver.findElements(By.cssSelector("tr.group-row"));
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).findElement(By.className("group-value")).getText()).isEqualTo("gru");
        assertThat(groups.get(0).findElement(By.className("group-count")).getText()).isEqualTo("2 runs");
        assertThat(groups.get(1).findElement(By.className("group-count")).getText()).isEqualTo("1 run");
        assertThat(names()).as("folded").isEmpty();

        groups.get(0).findElement(By.className("group-toggle")).click();
        browser.waiting(WAIT).until(d -> names().size() == 2);
        assertThat(names()).containsExactlyInAnyOrder("slow-gru", "fast-gru");
        browser.screenshot("table-4-group-by-model");
    }

    private void run(Api api, String name, String config, double base) {
        var created = api.post("/api/v1/runs", "{\"project\": \"" + project + "\", \"name\": \"" + name + "\", \"config\": " + config + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        var points = new ArrayList<String>();
        for (String key : KEYS) {
            double[] values = {1, base, base * 2};
            for (int step = 0; step < values.length; step++) {
                points.add("{\"key\": \"" + key + "\", \"step\": " + step + ", \"value\": " + values[step] + "}");
            }
        }
        assertThat(api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [" + String.join(", ", points) + "]}").status())
                .isEqualTo(200);
        assertThat(api.patch("/api/v1/runs/" + id, "{\"state\": \"FINISHED\"}").status()).isEqualTo(200);
    }

    /** Types a condition into the filter field (the conditions in use are hidden fields of the same name before it). */
    private void filter(String text) {
        WebElement input = browser.driver.findElement(By.id("filter-input"));
        input.clear();
        input.sendKeys(text);
    }

    private void open(String path) {
        browser.open(port, path, WAIT);
    }

    private boolean pageFits() {
        return browser.number("return document.documentElement.scrollWidth - window.innerWidth;") <= 0;
    }

    private List<String> headers() {
        return browser.driver.findElements(By.cssSelector("#runs-table thead th")).stream().map(WebElement::getText)
                .map(t -> t.replace(" ▲", "").replace(" ▼", "")).toList();
    }

    private List<String> names() {
        return browser.driver.findElements(By.cssSelector("#runs-table tbody tr[data-run] td.name > a")).stream()
                .map(WebElement::getText).toList();
    }

    /** The text of the run's cell in the column with that id. */
    private String cell(String run, String column) {
        return (String) browser.script("""
                var ths = Array.prototype.slice.call(document.querySelectorAll('#runs-table thead th'));
                var index = -1;
                for (var i = 0; i < ths.length; i++) { if (ths[i].dataset.column === arguments[1]) { index = i; } }
                var rows = document.querySelectorAll('#runs-table tbody tr[data-run]');
                for (var j = 0; j < rows.length; j++) {
                  var a = rows[j].querySelector('td.name > a');
                  if (a && a.textContent === arguments[0]) { return rows[j].cells[index].textContent.trim(); }
                }
                return 'no row ' + arguments[0];""", run, column);
    }
}

package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A run page's Logs tab and System section in a real browser, against a training job: the log
 * tails live over the run's stream, and the process's system metrics sit in their own section.
 * Screenshots go to target/screenshots/logs-*.png.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trainyard.logs.max-lines-per-run=40", "trainyard.system-metrics.interval=300ms"})
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class LogsBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String LINES = "return document.querySelectorAll('#logs .log-line').length";
    static final String LAST_SEQ = "var l = document.querySelector('#logs .log-line:last-child'); return l ? Number(l.dataset.seq) : 0";

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
    void theLogsTabTailsARunningJobLiveAndNotesTheDroppedLines() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "logs-browser", "name": "tailed", "job": {"model": "seed-rnn", "epochs": 100000}}""")
                .json().get("id").asString();
        try {
            browser.open(port, "/runs/" + id, WAIT);
            browser.script("window.__sameDocument = true;");
            browser.driver.findElement(By.id("tab-logs")).click();
            assertThat(browser.driver.findElement(By.id("logs-panel")).isDisplayed()).isTrue();
            assertThat(browser.driver.findElement(By.id("charts")).isDisplayed()).as("the overview steps aside").isFalse();

            browser.waiting(WAIT).until(d -> browser.number(LINES) > 0);
            long seen = browser.number(LAST_SEQ);
            browser.waiting(WAIT).until(d -> browser.number(LAST_SEQ) > seen + 20);
            assertThat(browser.script("return window.__sameDocument === true")).as("the page was not reloaded").isEqualTo(true);
            // one script reads both, so a line the stream appends in between cannot tell them apart
            assertThat(browser.number("var lines = document.querySelectorAll('#logs .log-line');"
                    + " return lines.length - new Set(Array.prototype.map.call(lines, function (l) { return l.dataset.seq; })).size"))
                    .as("every line shown once, whatever the first read and the stream both held").isZero();
            // the job logs an epoch line each step and a sample line every sampleEvery steps
            assertThat(browser.driver.findElement(By.cssSelector("#logs .log-line:last-child")).getText())
                    .matches("INFO  (step \\d+/100000  loss |sample at step \\d+ ).*");
            // 40 lines a run: the job's epoch lines soon push its first ones out, and the tab says so
            browser.waiting(WAIT).until(d -> browser.driver.findElement(By.id("logs-dropped")).isDisplayed());
            assertThat(browser.driver.findElement(By.id("logs-dropped")).getText()).matches("[\\d,]+ older lines? (was|were) dropped.*");
            assertThat(browser.driver.findElement(By.id("logs-status")).getText()).endsWith(", live");
            browser.screenshot("logs-1-live-tail");
        } finally {
            api.post("/api/v1/runs/" + id + "/cancel", "");
        }
    }

    @Test
    void aScriptsStderrIsMarkedAndSystemMetricsSitInTheirCollapsedSection() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "logs-browser", "name": "script"}""").json().get("id").asString();
        api.post("/api/v1/runs/" + id + "/metrics", """
                {"points": [{"key": "loss", "step": 0, "value": 1.0}, {"key": "loss", "step": 1, "value": 0.5},
                            {"key": "system/cpu_percent", "step": 0, "value": 12}, {"key": "system/cpu_percent", "step": 1, "value": 30},
                            {"key": "system/rss_mb", "step": 0, "value": 50}, {"key": "system/rss_mb", "step": 1, "value": 52}]}""");
        browser.open(port, "/runs/" + id + "#logs", WAIT);
        assertThat(browser.driver.findElement(By.id("logs-panel")).isDisplayed()).as("#logs opens the tab").isTrue();
        browser.waiting(WAIT).until(d -> browser.driver.findElement(By.id("logs-empty")).isDisplayed());

        api.post("/api/v1/runs/" + id + "/logs", """
                {"lines": [{"stream": "stdout", "text": "epoch 1: loss 0.5"},
                           {"stream": "stderr", "text": "UserWarning: <b>not markup</b>"}]}""");
        browser.waiting(WAIT).until(d -> browser.number(LINES) == 2);
        assertThat(browser.driver.findElement(By.cssSelector("#logs .log-line.stderr")).getText())
                .isEqualTo("UserWarning: <b>not markup</b>");
        assertThat(browser.driver.findElement(By.id("logs-empty")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("logs-count")).getText()).isEqualTo("(2)");

        browser.driver.findElement(By.id("tab-overview")).click();
        assertThat(browser.number("return document.querySelectorAll('#charts figure[data-key^=\"system/\"]').length"))
                .as("system metrics are not among the main charts").isZero();
        assertThat(browser.number("return document.querySelectorAll('#charts figure[data-key=\"loss\"]').length")).isEqualTo(1);
        var system = browser.driver.findElement(By.id("system-section"));
        assertThat(system.isDisplayed()).isTrue();
        assertThat(system.getAttribute("open")).as("collapsed until opened").isNull();
        system.findElement(By.tagName("summary")).click();
        browser.waiting(WAIT).until(d -> browser.number(
                "return document.querySelectorAll('#system-charts figure[data-key^=\"system/\"]').length") == 2);
        browser.script("document.getElementById('system-section').scrollIntoView()");
        browser.screenshot("logs-2-system-section");
    }
}

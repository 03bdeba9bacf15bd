package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The dl4j launcher in a real browser: the Iris template launched from the page, watched, inspected and used. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver")
class Dl4jBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(180);

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

    private long points(String key) {
        List<?> counts = (List<?>) browser.script(Browser.POINTS, key);
        return counts.isEmpty() ? 0 : ((Number) counts.get(0)).longValue();
    }

    @Test
    void theIrisTemplateLaunchesDrawsValAccuracyLiveShowsItsConfusionMatrixAndPredicts() {
        browser.open(port, "/launch", WAIT);
        browser.driver.findElement(By.id("dl4j-launch")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/launch/dl4j"));
        new Select(browser.driver.findElement(By.name("template"))).selectByValue("iris-mlp");
        assertThat(browser.driver.findElement(By.name("network")).getAttribute("value")).contains("DenseLayer");
        assertThat(browser.driver.findElement(By.id("columns")).getText()).contains("species");
        browser.type("project", "browser-dl4j");
        browser.type("epochs", "150");
        browser.type("seed", "7");
        browser.screenshot("dl4j-1-launcher");
        browser.driver.findElement(By.id("launch-button")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlMatches("/runs/[^/]+$"));

        browser.script("window.__sameDocument = true;");
        browser.waiting(WAIT).until(d -> points("val_accuracy") > 0);
        long first = points("val_accuracy");
        browser.waiting(WAIT).until(d -> points("val_accuracy") > first + 5);
        assertThat(browser.script("return window.__sameDocument === true")).as("drawn live, not reloaded").isEqualTo(true);
        assertThat(browser.driver.findElement(By.id("progress-text")).getText()).matches("epoch \\d+ of 150");

        browser.waiting(WAIT).until(d -> d.findElement(By.cssSelector("#state-badge .badge")).getText().equals("FINISHED"));
        browser.waiting(WAIT).until(d -> d.findElement(By.id("confusion-section")).isDisplayed());
        assertThat(browser.driver.findElements(By.cssSelector("#confusion tbody tr"))).hasSize(3);
        assertThat(browser.driver.findElement(By.cssSelector("#confusion thead")).getText()).contains("setosa", "virginica");

        browser.type("rows", "5.1, 3.5, 1.4, 0.2");
        browser.driver.findElement(By.id("predict-button")).click();
        browser.waiting(WAIT).until(d -> d.findElement(By.id("predicted")).getText().startsWith("setosa"));
        browser.screenshot("dl4j-2-finished");
    }

    @Test
    void anUnparsableNetworkIsShownBesideTheFieldWithWhatWasTyped() {
        browser.open(port, "/launch/dl4j", WAIT);
        browser.type("network", "{\"confs\": [");
        browser.driver.findElement(By.id("launch-button")).click();
        browser.waiting(WAIT).until(d -> !d.findElements(By.id("network-error")).isEmpty());

        assertThat(browser.driver.findElement(By.id("network-error")).getText()).contains("not valid JSON");
        assertThat(browser.driver.findElement(By.name("network")).getAttribute("value")).isEqualTo("{\"confs\": [");
        assertThat(browser.driver.findElement(By.name("network")).getAttribute("class")).contains("invalid");
        browser.screenshot("dl4j-3-error");
    }
}

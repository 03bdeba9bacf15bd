package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A team server in a real browser: sign in, an admin creates a member, the member launches, watches
 * the live chart, cancels from the run page, uploads a dataset and makes an API token. The pages'
 * own API calls (cancel, upload) must carry the CSRF token, or they would be refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-password=first-admin-pw", "trainyard.workers.count=1"})
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class TeamDashboardBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);

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

    @Test
    void anAdminAddsAMemberWhoLaunchesWatchesCancelsUploadsAndMakesAToken() throws Exception {
        open("/projects");
        assertThat(browser.driver.getCurrentUrl()).as("strangers are sent to sign in").endsWith("/login");
        signIn("admin", "first-admin-pw");

        open("/admin/users");
        type("username", "ana");
        type("password", "short");
        browser.driver.findElement(By.cssSelector("#new-user-form button[type=submit]")).click();
        assertThat(browser.waiting(WAIT).until(d -> d.findElement(By.cssSelector("#new-user-form .field-error"))).getText())
                .contains("at least 8 characters");
        type("password", "ana-password-1");
        browser.driver.findElement(By.cssSelector("#new-user-form button[type=submit]")).click();
        browser.waiting(WAIT).until(d -> d.findElement(By.id("users-table")).getText().contains("ana"));
        browser.screenshot("team-1-users");
        browser.driver.findElement(By.cssSelector(".who button")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/login"));

        signIn("ana", "ana-password-1");
        assertThat(browser.driver.findElement(By.id("account-link")).getText()).isEqualTo("ana (member)");
        open("/launch");
        type("project", "team-browser");
        type("steps", "100000");
        browser.driver.findElement(By.id("launch-button")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlMatches("/runs/[^/]+$"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*/runs/", "");
        browser.waiting(WAIT).until(d -> lossPoints() > 5);
        browser.driver.findElement(By.id("cancel-button")).click();
        browser.waiting(WAIT).until(d -> d.findElement(By.cssSelector("#state-badge .badge")).getText().equals("CANCELLED"));
        browser.screenshot("team-2-cancelled");

        var text = Files.createTempFile("team", ".txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(100));
        open("/datasets");
        browser.driver.findElement(By.id("file")).sendKeys(text.toAbsolutePath().toString());
        type("name", "team-text");
        browser.driver.findElement(By.id("upload-button")).click();
        browser.waiting(WAIT).until(d -> d.findElements(By.cssSelector("#datasets-table tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("team-text")));
        Files.delete(text);

        open("/account");
        type("name", "laptop");
        browser.driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        String secret = browser.waiting(WAIT).until(d -> d.findElement(By.id("issued-secret"))).getText();
        browser.screenshot("team-3-token");
        var script = Api.withToken(port, secret);
        assertThat(script.get("/api/v1/runs/" + id).json().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(browser.consoleErrors()).as("errors in the browser console").isEmpty();
    }

    private void signIn(String username, String password) {
        open("/login");
        type("username", username);
        type("password", password);
        browser.driver.findElement(By.cssSelector("main.sign-in button[type=submit]")).click();
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/projects"));
    }

    private void open(String path) {
        browser.open(port, path, WAIT);
    }

    private void type(String name, String text) {
        browser.type(name, text);
    }

    private long lossPoints() {
        return browser.lossPoints();
    }
}

package dev.trainyard.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through its chromedriver: found at /usr/bin or through
 * CHROME_BIN and CHROMEDRIVER. Without them the browser tests are skipped, unless
 * TRAINYARD_REQUIRE_BROWSER=1 (CI sets it), which makes their absence a failure.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * For {@code @EnabledIf}: whether the browser tests should run, decided before Spring starts a server
     * for them. When a browser is required they run, and {@link #start()} fails them if it is missing.
     */
    static boolean usable() {
        return "1".equals(System.getenv("TRAINYARD_REQUIRE_BROWSER"))
                || Files.isExecutable(Path.of(chromium())) && Files.isExecutable(Path.of(chromedriver()));
    }

    private static String chromium() {
        return System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium");
    }

    private static String chromedriver() {
        return System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
    }

    /** A fresh headless browser, or the test class skipped (failed when a browser is required). */
    static Browser start() {
        String chromium = chromium();
        String chromedriver = chromedriver();
        if (!Files.isExecutable(Path.of(chromium)) || !Files.isExecutable(Path.of(chromedriver))) {
            String message = "Browser tests need chromium at " + chromium + " and chromedriver at " + chromedriver
                    + " (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER)";
            if ("1".equals(System.getenv("TRAINYARD_REQUIRE_BROWSER"))) {
                Assertions.fail(message + "; TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory");
            }
            Assumptions.abort(message + "; skipped");
        }
        try {
            Path profile = Files.createTempDirectory("trainyard-chromium");
            var options = new ChromeOptions();
            options.setBinary(chromium);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1366,900", "--user-data-dir=" + profile);
            // An alert must stay open for the test to see it, not be dismissed by the driver.
            options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
            var logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Point counts of each dataset of the chart of a metric key, or an empty list while there is none. */
    static final String POINTS = """
            var figure = null;
            var figures = document.querySelectorAll('figure[data-key]');
            for (var i = 0; i < figures.length; i++) {
              if (figures[i].dataset.key === arguments[0]) { figure = figures[i]; }
            }
            var chart = figure && Chart.getChart(figure.querySelector('canvas'));
            return chart ? chart.data.datasets.map(function (d) { return d.data.length; }) : [];""";

    /** Loads a page of the server on {@code port} and waits until the document has loaded. */
    void open(int port, String path, Duration timeout) {
        driver.get("http://localhost:" + port + path);
        waiting(timeout).until(d -> "complete".equals(script("return document.readyState")));
    }

    void type(String name, String text) {
        WebElement input = driver.findElement(By.name(name));
        input.clear();
        input.sendKeys(text);
    }

    /** Points drawn in the first series of the loss chart, 0 before it has any. */
    long lossPoints() {
        List<?> counts = (List<?>) script(POINTS, "loss");
        return counts.isEmpty() ? 0 : ((Number) counts.get(0)).longValue();
    }

    /** Waits that read the page as it changes: an element a page load replaced mid-read means "not yet". */
    WebDriverWait waiting(Duration timeout) {
        var wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    long number(String js, Object... args) {
        Object value = script(js, args);
        return value instanceof Number n ? n.longValue() : -1;
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console errors since the last call, without the favicon the pages don't have. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("favicon.ico"))
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}

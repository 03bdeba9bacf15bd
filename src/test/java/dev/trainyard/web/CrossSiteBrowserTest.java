package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A local server (no sign-in) and another web site the user visits in the same browser: the other
 * site's page posts the launch form to the local server by itself. The browser sends it, with the
 * other site's Origin; the server must refuse it and launch nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
@EnabledIf(value = "dev.trainyard.web.Browser#usable", disabledReason = "browser tests skipped: no chromium/chromedriver "
        + "at /usr/bin (apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER); "
        + "TRAINYARD_REQUIRE_BROWSER=1 makes them mandatory")
class CrossSiteBrowserTest {

    static Browser browser;

    @LocalServerPort
    int port;

    HttpServer evil;

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

    /** The other site: 127.0.0.1 on another port, another origin (and site) than http://localhost:PORT. */
    @BeforeEach
    void startOtherSite() throws IOException {
        evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evil.createContext("/", exchange -> {
            byte[] page = ("""
                    <!doctype html><title>cute cats</title>
                    <form id="f" method="post" action="http://localhost:%d/launch">
                      <input name="project" value="cats"><input name="model" value="seed-rnn"><input name="epochs" value="1">
                    </form>
                    <script>document.getElementById('f').submit();</script>""").formatted(port).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
    }

    @AfterEach
    void stopOtherSite() {
        evil.stop(0);
    }

    @Test
    void aFormPostedByAnotherSitesPageIsRefused() {
        // The user has the dashboard open too, so the browser holds its session cookie.
        browser.open(port, "/launch", Duration.ofSeconds(30));
        browser.driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
        browser.waiting(Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().startsWith("http://localhost:" + port + "/"));
        browser.waiting(Duration.ofSeconds(30)).until(d -> "complete".equals(browser.script("return document.readyState")));
        browser.screenshot("cross-site-launch-refused");

        assertThat(browser.driver.getPageSource()).as("the answer the browser got").contains("403");
        assertThat(new Api(port).get("/api/v1/projects").body()).as("nothing was launched").doesNotContain("\"cats\"");
    }
}

package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The small things of #18, each as a user met it: a stale hint, a missing favicon, an untitled API, a 1.4 s run read as "0s". */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmallThingsTest {

    @LocalServerPort
    int port;

    @Test
    void theLaunchPageNoLongerSaysTheRecurrentModelsMayFail() {
        String page = new Api(port).get("/launch").body();
        assertThat(page).contains("lstm").doesNotContain("may fail").doesNotContain("implementation lands");
    }

    @Test
    void everyPageLinksTheFaviconAndItIsServed() {
        var api = new Api(port);
        String run = api.post("/api/v1/runs", "{\"project\": \"small-things\", \"name\": \"r\"}").json().get("id").asString();
        for (String page : List.of("/projects", "/projects/small-things", "/runs", "/runs/" + run, "/compare?runs=" + run, "/sweeps",
                "/launch", "/launch/dl4j", "/datasets")) {
            var answer = api.get(page);
            assertThat(answer.status()).as(page).isEqualTo(200);
            assertThat(answer.body()).as(page).contains("<link rel=\"icon\" href=\"/favicon.ico\">");
        }
        var icon = api.bytes("/favicon.ico");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("icon"));
        assertThat(icon.body()).startsWith(0, 0, 1, 0); // an ICO file's header
    }

    @Test
    void theOpenApiDocumentIsTrainyardsNotSpringdocsDefault() {
        JsonNode info = new Api(port).get("/v3/api-docs").json().get("info");
        assertThat(info.get("title").asString()).isEqualTo("Trainyard API").isNotEqualTo("OpenAPI definition");
        assertThat(info.get("version").asString()).isEqualTo("v1").isNotEqualTo("v0");
        assertThat(info.get("description").asString()).contains("Runs, metrics");
    }

    @Test
    void shortDurationsKeepTheirTenthsOnTheServer() {
        assertThat(DashboardController.duration(1.4)).isEqualTo("1.4s");
        assertThat(DashboardController.duration(0.4)).isEqualTo("0.4s");
        assertThat(DashboardController.duration(2)).isEqualTo("2.0s");
        assertThat(DashboardController.duration(65)).isEqualTo("1m 5s");
    }
}

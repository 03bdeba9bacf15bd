package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Runs filtered and sorted by a metric's summary over the REST API, in each summary mode: the
 * key's own (its define_metric mode, else the last value) and an explicit last, min, max or mean.
 * Also a run's summary table with the steps of its min and max.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class RunSummarySearchTest {

    @LocalServerPort
    int port;
    Api api;
    String project;
    String a;

    @BeforeEach
    void runs() {
        api = new Api(port);
        project = "sum-" + System.nanoTime();
        // a: last 2, min 1, max 3, mean 2
        a = run("a", "{\"lr\": 0.01}", "3", "1", "2");
        // b: last 4, min 0.5, max 4, mean 2.25
        run("b", "{\"lr\": 0.1}", "0.5", "4");
        // c: its own summary is its min, 0.2; last 0.9, max 5, mean 2.0333
        String c = create("c", "{\"lr\": 0.1}");
        var defined = api.patch("/api/v1/runs/" + c, "{\"metrics\": {\"loss\": {\"summary\": \"min\"}}}");
        assertThat(defined.status()).as(defined.body()).isEqualTo(200);
        log(c, "5", "0.2", "0.9");
        // d: no loss at all
        create("d", "{}");
        // e: a NaN last value, min and max 1
        run("e", "{}", "1", "\"NaN\"");
    }

    @Test
    void aConditionComparesTheSummaryItNames() {
        assertThat(names("metric=loss<2.5")).as("the key's own summary: c's is its min").containsExactlyInAnyOrder("a", "c");
        assertThat(names("metric=loss:min<0.6")).containsExactlyInAnyOrder("b", "c");
        assertThat(names("metric=loss:max>=4")).containsExactlyInAnyOrder("b", "c");
        assertThat(names("metric=loss:mean>2.1")).containsExactly("b");
        assertThat(names("metric=loss:last=2")).containsExactly("a");
        assertThat(names("metric=loss:last<100")).as("NaN meets no condition").containsExactlyInAnyOrder("a", "b", "c");
        assertThat(names("metric=loss:min<100")).as("min leaves NaN out").containsExactlyInAnyOrder("a", "b", "c", "e");
        assertThat(names("metric=loss!=2")).as("a run without the key passes !=").containsExactlyInAnyOrder("b", "c", "d", "e");
    }

    @Test
    void metricAndConfigConditionsCombine() {
        assertThat(names("config=lr>=0.1&metric=loss:max<4.5")).containsExactly("b");
        assertThat(names("config=lr=0.1&metric=loss:min<0.3&metric=loss:last>0.5")).containsExactly("c");
    }

    @Test
    void sortingBySummaryUsesTheModeAndPutsRunsWithoutTheKeyLast() {
        assertThat(names("sort=summary.loss:min")).as("a tie (a and e: 1) goes newest first").containsExactly("c", "b", "e", "a", "d");
        assertThat(names("sort=summary.loss:max,desc")).containsExactly("c", "b", "a", "e", "d");
        assertThat(names("sort=summary.loss:mean")).startsWith("e", "a", "c", "b");
        assertThat(names("sort=summary.loss")).as("c's own summary is its min").startsWith("c", "a", "b");
    }

    @Test
    void aRunsSummaryTableHasEachSummaryAndTheStepsOfItsMinAndMax() {
        var response = api.get("/api/v1/runs/" + a + "/summary");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode loss = response.json().get(0);
        assertThat(loss.get("key").asString()).isEqualTo("loss");
        assertThat(loss.get("last").asDouble()).isEqualTo(2.0);
        assertThat(loss.get("lastStep").asLong()).isEqualTo(2);
        assertThat(loss.get("min").asDouble()).isEqualTo(1.0);
        assertThat(loss.get("minStep").asLong()).isEqualTo(1);
        assertThat(loss.get("max").asDouble()).isEqualTo(3.0);
        assertThat(loss.get("maxStep").asLong()).isEqualTo(0);
        assertThat(loss.get("mean").asDouble()).isEqualTo(2.0);
        assertThat(loss.get("count").asLong()).isEqualTo(3);
        assertThat(api.get("/api/v1/runs/nosuchrun/summary").status()).isEqualTo(404);
    }

    @Test
    void aConditionOrSortThatCannotBeReadIsA400NamingTheField() {
        for (String bad : List.of("loss", "loss:median<1", "loss<abc", "<1", "loss<", "bad key!<1", "loss<Infinity")) {
            var response = api.get("/api/v1/runs?project=" + project + "&metric=" + Api.encode(bad));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).as(bad).contains("metric");
        }
        var sort = api.get("/api/v1/runs?project=" + project + "&sort=" + Api.encode("summary.loss:median"));
        assertThat(sort.status()).isEqualTo(400);
        assertThat(sort.contentType()).startsWith("application/problem+json");
        assertThat(sort.body()).contains("sort").contains("median");
    }

    private String run(String name, String config, String... values) {
        String id = create(name, config);
        log(id, values);
        return id;
    }

    private String create(String name, String config) {
        var created = api.post("/api/v1/runs", "{\"project\": \"" + project + "\", \"name\": \"" + name + "\", \"config\": " + config + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private void log(String id, String... values) {
        var points = new ArrayList<String>();
        for (int step = 0; step < values.length; step++) {
            points.add("{\"key\": \"loss\", \"step\": " + step + ", \"value\": " + values[step] + "}");
        }
        var logged = api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [" + String.join(", ", points) + "]}");
        assertThat(logged.status()).as(logged.body()).isEqualTo(200);
    }

    private List<String> names(String query) {
        var parts = new ArrayList<String>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            parts.add(part.substring(0, eq + 1) + Api.encode(part.substring(eq + 1)));
        }
        var response = api.get("/api/v1/runs?project=" + project + "&" + String.join("&", parts));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var names = new ArrayList<String>();
        response.json().get("content").forEach(run -> names.add(run.get("name").asString()));
        return names;
    }
}

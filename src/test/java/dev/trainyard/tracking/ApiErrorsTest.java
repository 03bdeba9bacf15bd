package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.stream.Stream;

import dev.trainyard.support.Api;
import dev.trainyard.support.SseClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bad input gets a clear problem+json with the right status, never a 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trainyard.max-body-size=1MB", "trainyard.metrics.max-keys-per-run=50"})
class ApiErrorsTest {

    @LocalServerPort
    int port;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    static Stream<Arguments> badRunRequests() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"project\": \"x\",", null),
                Arguments.of("not JSON at all", "hello", null),
                Arguments.of("wrong type", "{\"project\": \"x\", \"job\": {\"epochs\": \"many\"}}", "job.epochs"),
                Arguments.of("string for a number", "{\"project\": \"x\", \"job\": {\"hidden\": \"35\"}}", "job.hidden"),
                Arguments.of("missing project", "{\"name\": \"x\"}", "project"),
                Arguments.of("hidden too large", "{\"project\": \"x\", \"job\": {\"hidden\": 1000000000}}", "job.hidden"),
                Arguments.of("hidden zero", "{\"project\": \"x\", \"job\": {\"hidden\": 0}}", "job.hidden"),
                Arguments.of("epochs too many", "{\"project\": \"x\", \"job\": {\"epochs\": 100001}}", "job.epochs"),
                Arguments.of("epochs zero", "{\"project\": \"x\", \"job\": {\"epochs\": 0}}", "job.epochs"),
                Arguments.of("steps too many", "{\"project\": \"x\", \"job\": {\"steps\": 100001}}", "job.steps"),
                Arguments.of("steps wrong type", "{\"project\": \"x\", \"job\": {\"steps\": \"many\"}}", "job.steps"),
                Arguments.of("steps and its old name epochs", "{\"project\": \"x\", \"job\": {\"steps\": 5, \"epochs\": 5}}",
                        "job.epochs"),
                Arguments.of("learning rate zero", "{\"project\": \"x\", \"job\": {\"learningRate\": 0}}", "job.learningRate"),
                Arguments.of("learning rate huge", "{\"project\": \"x\", \"job\": {\"learningRate\": 11}}", "job.learningRate"),
                Arguments.of("unknown model", "{\"project\": \"x\", \"job\": {\"model\": \"transformer\"}}", "job.model"),
                Arguments.of("unknown field", "{\"project\": \"x\", \"job\": {\"hiden\": 10}}", "job.hiden"),
                Arguments.of("a name over 200 characters", "{\"project\": \"x\", \"name\": \"" + "n".repeat(201) + "\"}", "name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRunRequests")
    void aBadRunRequestIsA400ProblemNamingTheField(String why, String body, String field) {
        var response = api.post("/api/v1/runs", body);

        assertThat(response.status()).as(why).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(400);
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().get("detail").asString()).isNotBlank();
        assertThat(response.json().get("instance").asString()).isEqualTo("/api/v1/runs");
        assertThat(response.json().get("type").asString()).startsWith("urn:trainyard:problem:");
        if (field != null) {
            assertThat(response.json().get("errors")).as(why).anyMatch(e -> e.get("field").asString().equals(field));
            // a job field named is one the sender wrote: epochs, steps' old name, is not reported as steps
            assertThat(response.json().get("errors")).as(why).allSatisfy(e -> {
                String named = e.get("field").asString();
                if (named.startsWith("job.")) {
                    assertThat(body).contains("\"" + named.substring("job.".length()) + "\"");
                }
            });
        }
    }

    @Test
    void hyperParametersAtTheirBoundsAreAccepted() {
        var response = api.post("/api/v1/runs", """
                {"project": "bounds", "job": {"hidden": 1024, "steps": 1, "learningRate": 10}}""");
        assertThat(response.status()).isEqualTo(201);
        api.post("/api/v1/runs/" + response.json().get("id").asString() + "/cancel", "");
    }

    @Test
    void unknownIdsAre404Problems() {
        for (String path : new String[] {"/api/v1/runs/nope", "/api/v1/runs/nope/metrics", "/api/v1/runs/nope/metrics/loss",
                "/api/v1/projects/nope", "/api/v1/runs/nope/model"}) {
            var response = api.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
        }
        assertThat(api.post("/api/v1/runs/nope/metrics", "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": 1}]}").status())
                .isEqualTo(404);
        assertThat(api.patch("/api/v1/runs/nope", "{\"name\": \"x\"}").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/runs/nope").status()).isEqualTo(404);
    }

    @Test
    void pathsAndMethodsTheApiDoesNotServeAreProblemsToo() {
        var unknown = api.get("/api/v1/nothing/here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asString()).contains("no API endpoint at /api/v1/nothing/here");
        var wrongMethod = api.delete("/api/v1/runs");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
        assertThat(wrongMethod.json().get("detail").asString()).contains("does not take DELETE").contains("GET").contains("POST");
        assertThat(api.get("/no-such-page").contentType()).as("pages keep their own 404").doesNotStartWith("application/problem+json");
    }

    @Test
    void anOversizeBodyIsA413() {
        String huge = "{\"points\": [" + "{\"key\": \"a\", \"step\": 1, \"value\": 1},".repeat(40_000) + "{}]}";
        String run = api.post("/api/v1/runs", "{\"project\": \"big\"}").json().get("id").asString();

        var response = api.post("/api/v1/runs/" + run + "/metrics", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("trainyard.max-body-size");
    }

    @Test
    void badPointsAre400sNamingThePoint() {
        String run = api.post("/api/v1/runs", "{\"project\": \"points\"}").json().get("id").asString();
        String path = "/api/v1/runs/" + run + "/metrics";
        record Case(String body, String field) {
        }
        for (var c : new Case[] {
                new Case("{\"points\": [{\"key\": \"../x\", \"step\": 1, \"value\": 1}]}", "points[0].key"),
                new Case("{\"points\": [{\"key\": \"\", \"step\": 1, \"value\": 1}]}", "points[0].key"),
                new Case("{\"points\": [{\"key\": \"a\", \"step\": -1, \"value\": 1}]}", "points[0].step"),
                new Case("{\"points\": [{\"key\": \"a\", \"step\": 1}]}", "points[0].value"),
                new Case("{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": \"lots\"}]}", "points[0].value"),
                new Case("{\"points\": []}", "points")}) {
            var response = api.post(path, c.body());
            assertThat(response.status()).as(c.body()).isEqualTo(400);
            assertThat(response.json().get("errors")).as(c.body()).anyMatch(e -> e.get("field").asString().equals(c.field()));
        }
        assertThat(api.get(path).json().size()).as("nothing was stored").isZero();
    }

    @Test
    void aRunMayLogOnlySoManyKeys() {
        String run = api.post("/api/v1/runs", "{\"project\": \"keys\"}").json().get("id").asString();
        String fifty = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "{\"key\": \"k" + i + "\", \"step\": 1, \"value\": 1}")
                .collect(java.util.stream.Collectors.joining(",", "{\"points\": [", "]}"));
        assertThat(api.post("/api/v1/runs/" + run + "/metrics", fifty).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/runs/" + run + "/metrics", fifty).status()).as("the same keys again").isEqualTo(200);

        var more = api.post("/api/v1/runs/" + run + "/metrics", "{\"points\": [{\"key\": \"k50\", \"step\": 1, \"value\": 1}]}");

        assertThat(more.status()).isEqualTo(400);
        assertThat(more.json().get("detail").asString()).contains("trainyard.metrics.max-keys-per-run");
        assertThat(api.get("/api/v1/runs/" + run + "/metrics").json().size()).isEqualTo(50);
    }

    @Test
    void illegalStateChangesAre409s() {
        String external = api.post("/api/v1/runs", "{\"project\": \"states\"}").json().get("id").asString();
        assertThat(api.patch("/api/v1/runs/" + external, "{\"state\": \"RUNNING\"}").status()).isEqualTo(409);
        assertThat(api.post("/api/v1/runs/" + external + "/cancel", "").status()).isEqualTo(409);
        assertThat(api.patch("/api/v1/runs/" + external, "{\"state\": \"FAILED\"}").status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/runs/" + external, "{\"state\": \"FINISHED\"}").status()).isEqualTo(409);
        assertThat(api.patch("/api/v1/runs/" + external, "{\"state\": \"ASLEEP\"}").status()).isEqualTo(400);

        String job = api.post("/api/v1/runs", "{\"project\": \"states\", \"job\": {\"epochs\": 100000}}").json().get("id").asString();
        var cancelled = api.post("/api/v1/runs/" + job + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
        var again = api.post("/api/v1/runs/" + job + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("CANCELLED");
        assertThat(api.patch("/api/v1/runs/" + job, "{\"state\": \"FINISHED\"}").status()).isEqualTo(409);
    }

    @Test
    void duplicateProjectNamesAre409sAndBadQueriesAre400s() {
        assertThat(api.post("/api/v1/projects", "{\"name\": \"Twice Over\"}").status()).isEqualTo(201);
        var again = api.post("/api/v1/projects", "{\"name\": \"Twice Over\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/v1/runs?sort=shoeSize").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/runs?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/runs?state=ASLEEP").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/runs?page=x").status()).isEqualTo(400);
        String run = api.post("/api/v1/runs", "{\"project\": \"q\"}").json().get("id").asString();
        assertThat(api.get("/api/v1/runs/" + run + "/metrics/loss?maxPoints=0").status()).isEqualTo(400);
        try (var garbage = new SseClient(api.uri("/api/v1/runs/" + run + "/events"), "yesterday")) {
            await().until(() -> garbage.status() != 0);
            assertThat(garbage.status()).isEqualTo(400);
        }
    }
}

package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What {@code wandb.init} and the objects a wandb script touches need from the server: any project
 * display name, entity, group and job type, resuming by id, summaries, define_metric and alerts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WandbSurfaceApiTest {

    @LocalServerPort
    int port;
    Api api;
    String prefix;

    @BeforeEach
    void api() {
        api = new Api(port);
        // Each test names its own projects: the context (and its database) is shared between tests.
        prefix = "t" + System.nanoTime() % 1_000_000_000;
    }

    @Test
    void anyDisplayNameIsAProjectWithAStableSlug() {
        var dots = api.post("/api/v1/runs", """
                {"project": "...", "name": "rnn"}""");
        assertThat(dots.status()).isEqualTo(201);
        assertThat(dots.json().get("projectName").asString()).isEqualTo("...");
        String slug = dots.json().get("project").asString();
        assertThat(slug).matches("p-[0-9a-f]{8}");

        var again = api.post("/api/v1/runs", """
                {"project": "...", "name": "gru"}""");
        assertThat(again.json().get("project").asString()).as("the same name is the same project").isEqualTo(slug);
        var project = api.get("/api/v1/projects/" + slug).json();
        assertThat(project.get("name").asString()).isEqualTo("...");
        assertThat(project.get("runCount").asLong()).isEqualTo(2);
    }

    @Test
    void twoNamesThatSlugAlikeAreTwoProjects() {
        String name = prefix + " Drop-in Check";
        var first = api.post("/api/v1/runs", "{\"project\": \"" + name + "\"}");
        var second = api.post("/api/v1/runs", "{\"project\": \"" + name.toLowerCase().replace(' ', '_') + "\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).as("not a 409 to the user").isEqualTo(201);
        String slug = first.json().get("project").asString();
        assertThat(slug).isEqualTo(prefix + "-drop-in-check");
        assertThat(second.json().get("project").asString()).startsWith(slug + "-").isNotEqualTo(slug);
        assertThat(api.get("/api/v1/runs?project=" + slug).json().get("totalElements").asLong()).isEqualTo(1);
        // Scripts may name the project by its display name when they list, as they did when they logged.
        assertThat(api.get("/api/v1/runs?project=" + Api.encode(name)).json().get("totalElements").asLong()).isEqualTo(1);
    }

    @Test
    void explicitCreateRefusesOnlyTheSameName() {
        String name = prefix + " Analysis";
        assertThat(api.post("/api/v1/projects", "{\"name\": \"" + name + "\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/projects", "{\"name\": \"" + name.toUpperCase() + "\"}").status()).isEqualTo(201);
        var duplicate = api.post("/api/v1/projects", "{\"name\": \"" + name + "\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aBlankOrTooLongProjectNameIsAClearProblem() {
        var blank = api.post("/api/v1/runs", """
                {"project": "   "}""");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body()).contains("project");
        var tooLong = api.post("/api/v1/runs", "{\"project\": \"" + "x".repeat(201) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
    }

    @Test
    void entityGroupAndJobTypeAreKeptAndShown() {
        var created = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"entity\": \"lab\", \"group\": \"exp-1\","
                + " \"jobType\": \"train\", \"tags\": [\"a\"]}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode run = created.json();
        assertThat(run.get("entity").asString()).isEqualTo("lab");
        assertThat(run.get("group").asString()).isEqualTo("exp-1");
        assertThat(run.get("jobType").asString()).isEqualTo("train");
        assertThat(run.get("tags").toString()).contains("\"a\"", "\"train\"");
        assertThat(api.get("/api/v1/runs?group=exp-1&project=" + prefix).json().get("totalElements").asLong()).isEqualTo(1);

        String page = api.get("/runs/" + run.get("id").asString(), "text/html").body();
        assertThat(page).contains("id=\"run-entity\">lab<", "id=\"run-group\">exp-1<", "id=\"run-job-type\">train<");
    }

    @Test
    void resumeAllowCreatesThenContinuesTheRunWithStepsGoingOn() {
        String id = prefix + "-resume";
        var created = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"" + id + "\", \"resume\": \"allow\","
                + " \"config\": {\"lr\": 0.1}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("id").asString()).isEqualTo(id);
        assertThat(created.json().get("nextStep").asLong()).isEqualTo(0);
        assertThat(api.post("/api/v1/runs/" + id + "/metrics", points("loss", 0, 10)).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/runs/" + id, """
                {"state": "FAILED"}""").status()).isEqualTo(200);

        var resumed = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"" + id + "\", \"resume\": \"must\","
                + " \"config\": {\"epochs\": 5}}");
        assertThat(resumed.status()).as("an existing run is continued, not created").isEqualTo(200);
        assertThat(resumed.json().get("state").asString()).isEqualTo("RUNNING");
        assertThat(resumed.json().has("endedAt")).isFalse();
        assertThat(resumed.json().get("nextStep").asLong()).isEqualTo(10);
        assertThat(resumed.json().get("config").get("lr").doubleValue()).as("the config is merged").isEqualTo(0.1);
        assertThat(resumed.json().get("config").get("epochs").asInt()).isEqualTo(5);
        assertThat(resumed.json().get("summary").get("loss").doubleValue()).isEqualTo(9.0);
        assertThat(api.post("/api/v1/runs/" + id + "/metrics", points("loss", 10, 15)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/runs/" + id + "/metrics/loss").json().get("total").asLong()).isEqualTo(15);
    }

    @Test
    void resumeRefusalsAreProblems() {
        var must = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"" + prefix + "-nope\", \"resume\": \"must\"}");
        assertThat(must.status()).isEqualTo(404);
        assertThat(must.contentType()).startsWith("application/problem+json");

        String id = prefix + "-taken";
        assertThat(api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"" + id + "\"}").status()).isEqualTo(201);
        var never = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"" + id + "\", \"resume\": \"never\"}");
        assertThat(never.status()).isEqualTo(409);
        assertThat(never.json().get("detail").asString()).contains("allow");
        var otherProject = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "-other\", \"id\": \"" + id + "\", \"resume\": \"allow\"}");
        assertThat(otherProject.status()).isEqualTo(409);
        assertThat(otherProject.json().get("detail").asString()).contains("belongs to project");

        var badId = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"no spaces/allowed\"}");
        assertThat(badId.status()).isEqualTo(400);
        var badResume = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"x1\", \"resume\": \"sometimes\"}");
        assertThat(badResume.status()).isEqualTo(400);
        var jobWithId = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\", \"id\": \"" + prefix + "-job\", "
                + "\"job\": {\"model\": \"seed-rnn\", \"epochs\": 1}}");
        assertThat(jobWithId.status()).isEqualTo(400);
    }

    @Test
    void configChangesAfterInitReachTheServer() {
        String id = externalRun();
        var patched = api.patch("/api/v1/runs/" + id, """
                {"config": {"lr": 0.02, "layers": 2}}""");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("config").get("layers").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/runs/" + id).json().get("config").get("lr").doubleValue()).isEqualTo(0.02);
    }

    @Test
    void summaryModesDecideTheSummaryAndTheSort() {
        String best = externalRun();
        String worst = externalRun();
        // define_metric before the first point, as scripts do at the top.
        for (String id : new String[] {best, worst}) {
            assertThat(api.patch("/api/v1/runs/" + id, """
                    {"metrics": {"loss": {"summary": "min", "goal": "minimize"}, "acc": {"summary": "max"},
                                 "lr": {"summary": "mean"}, "noise": {"summary": "none"}, "epoch_ms": {"stepMetric": "epoch"}}}""")
                    .status()).isEqualTo(200);
        }
        api.post("/api/v1/runs/" + best + "/metrics", """
                {"points": [{"key": "loss", "step": 0, "value": 3.0}, {"key": "loss", "step": 1, "value": 0.5},
                            {"key": "loss", "step": 2, "value": 0.9}, {"key": "loss", "step": 3, "value": "NaN"},
                            {"key": "acc", "step": 0, "value": 0.2}, {"key": "acc", "step": 1, "value": 0.8},
                            {"key": "acc", "step": 2, "value": 0.6},
                            {"key": "lr", "step": 0, "value": 1.0}, {"key": "lr", "step": 1, "value": 2.0},
                            {"key": "noise", "step": 0, "value": 7.0}]}""");
        // Later batches keep the aggregates going; a replayed batch does not count twice.
        String more = """
                {"points": [{"key": "lr", "step": 2, "value": 6.0}]}""";
        api.post("/api/v1/runs/" + best + "/metrics", more);
        api.post("/api/v1/runs/" + best + "/metrics", more);
        api.post("/api/v1/runs/" + worst + "/metrics", """
                {"points": [{"key": "loss", "step": 0, "value": 2.0}, {"key": "loss", "step": 1, "value": 0.7},
                            {"key": "loss", "step": 2, "value": 0.1}]}""");
        api.patch("/api/v1/runs/" + worst, """
                {"summary": {"loss": 1.5}}""");

        JsonNode summary = api.get("/api/v1/runs/" + best).json().get("summary");
        assertThat(summary.get("loss").doubleValue()).as("min, NaN aside").isEqualTo(0.5);
        assertThat(summary.get("acc").doubleValue()).isEqualTo(0.8);
        assertThat(summary.get("lr").doubleValue()).as("mean of 1, 2, 6").isEqualTo(3.0);
        assertThat(summary.has("noise")).as("summary none").isFalse();
        assertThat(api.get("/api/v1/runs/" + worst).json().get("summary").get("loss").doubleValue())
                .as("a value the script set wins").isEqualTo(1.5);

        JsonNode keys = api.get("/api/v1/runs/" + best + "/metrics").json();
        JsonNode loss = IntStream.range(0, keys.size()).mapToObj(keys::get).filter(k -> k.get("key").asString().equals("loss"))
                .findFirst().orElseThrow();
        assertThat(loss.get("summaryMode").asString()).isEqualTo("min");
        assertThat(loss.get("goal").asString()).isEqualTo("minimize");

        JsonNode sorted = api.get("/api/v1/runs?project=" + prefix + "&sort=summary.loss,asc").json().get("content");
        assertThat(sorted.get(0).get("id").asString()).isEqualTo(best);
        assertThat(sorted.get(1).get("id").asString()).isEqualTo(worst);

        assertThat(api.patch("/api/v1/runs/" + worst, """
                {"summary": {"loss": null}}""").json().get("summary").get("loss").doubleValue())
                .as("null gives the key its own summary back").isEqualTo(0.1);
    }

    @Test
    void badSummariesAndDefinitionsAreProblems() {
        String id = externalRun();
        assertThat(api.patch("/api/v1/runs/" + id, """
                {"metrics": {"loss": {"summary": "median"}}}""").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/runs/" + id, """
                {"metrics": {"loss": {"goal": "up"}}}""").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/runs/" + id, """
                {"metrics": {"bad:key": {"summary": "min"}}}""").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/runs/" + id, """
                {"summary": {"acc": "high"}}""").status()).isEqualTo(400);
        var infinite = api.patch("/api/v1/runs/" + id, """
                {"summary": {"best": "Infinity"}}""");
        assertThat(infinite.status()).isEqualTo(200);
    }

    @Test
    void alertsAreKeptStreamedAndShown() {
        String id = externalRun();
        var raised = api.post("/api/v1/runs/" + id + "/alerts", """
                {"title": "Loss diverged", "text": "loss is NaN at step 12", "level": "WARN"}""");
        assertThat(raised.status()).isEqualTo(201);
        assertThat(raised.json().get("level").asString()).isEqualTo("WARN");
        assertThat(api.post("/api/v1/runs/" + id + "/alerts", """
                {"title": "done"}""").json().get("level").asString()).isEqualTo("INFO");
        JsonNode alerts = api.get("/api/v1/runs/" + id + "/alerts").json();
        assertThat(alerts.size()).isEqualTo(2);
        assertThat(alerts.get(0).get("text").asString()).isEqualTo("loss is NaN at step 12");
        assertThat(api.get("/runs/" + id, "text/html").body()).contains("Loss diverged", "loss is NaN at step 12");

        assertThat(api.post("/api/v1/runs/" + id + "/alerts", """
                {"text": "no title"}""").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/runs/" + id + "/alerts", """
                {"title": "x", "level": "PANIC"}""").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/runs/nosuchrun/alerts", """
                {"title": "x"}""").status()).isEqualTo(404);
    }

    private String externalRun() {
        var created = api.post("/api/v1/runs", "{\"project\": \"" + prefix + "\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static String points(String key, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"key\": \"" + key + "\", \"step\": " + i + ", \"value\": " + i + ".0}")
                .collect(Collectors.joining(",", "{\"points\": [", "]}"));
    }
}

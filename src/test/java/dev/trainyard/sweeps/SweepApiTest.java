package dev.trainyard.sweeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SweepApiTest {

    @LocalServerPort
    int port;

    @Test
    void theMemoryHorizonRequestLaunchesEveryModelAtEveryLengthInOneGroup() {
        var api = new Api(port);
        var created = api.post("/api/v1/sweeps", """
                {"project": "horizon", "name": "horizon", "lengths": [8, 16], "base": {"epochs": 1, "hidden": 16, "embedding": 16}}""");

        assertThat(created.status()).isEqualTo(201);
        JsonNode sweep = created.json();
        assertThat(sweep.get("runs").asInt()).isEqualTo(6);
        var cells = new ArrayList<String>();
        sweep.get("table").forEach(row -> cells.add(row.get("model").asString() + "@" + row.get("length").asInt()));
        assertThat(cells).containsExactlyInAnyOrder("rnn@8", "rnn@16", "gru@8", "gru@16", "lstm@8", "lstm@16");
        JsonNode group = api.get("/api/v1/runs?group=" + sweep.get("id").asString()).json();
        assertThat(group.get("totalElements").asLong()).isEqualTo(6);
        group.get("content").forEach(run -> assertThat(run.get("group").asString()).isEqualTo(sweep.get("id").asString()));
    }

    @Test
    void aGridSweepTrainsEveryCombinationAndTabulatesTheirResults() {
        var api = new Api(port);
        String id = api.post("/api/v1/sweeps", """
                {"project": "grid", "models": ["seed-rnn"], "grid": {"learningRate": [0.01, 0.02], "hidden": [16, 35]},
                 "base": {"epochs": 20}}""").json().get("id").asString();

        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/sweeps/" + id).json().get("states").path("FINISHED").asInt() == 4);

        JsonNode table = api.get("/api/v1/sweeps/" + id).json().get("table");
        var combos = new ArrayList<String>();
        table.forEach(row -> {
            combos.add(row.get("params").get("learningRate").doubleValue() + "/" + row.get("params").get("hidden").asInt());
            assertThat(row.get("accuracy").doubleValue()).isBetween(0.0, 1.0);
            assertThat(row.get("loss").doubleValue()).isPositive();
        });
        assertThat(combos).containsExactlyInAnyOrder("0.01/16", "0.01/35", "0.02/16", "0.02/35");
    }

    @Test
    void lengthsAreDelayedRecallRepeatedPerSeedWithChanceTheHorizonDefaultsAndACurvePerModel() {
        var api = new Api(port);
        JsonNode created = api.post("/api/v1/sweeps", """
                {"project": "recall-api", "name": "recall", "models": ["rnn", "gru"], "lengths": [3, 5], "seeds": [1, 2],
                 "base": {"epochs": 2, "hidden": 8}}""").json();
        String id = created.get("id").asString();

        assertThat(created.get("runs").asInt()).isEqualTo(8);
        assertThat(created.get("task").asString()).isEqualTo("recall");
        assertThat(created.get("chance").asDouble()).isEqualTo(0.125);
        // what the base left out, recall runs take from the horizon defaults
        assertThat(created.get("base").get("steps").asInt()).isEqualTo(2); // sent as epochs, steps' old name
        assertThat(created.get("base").get("hidden").asInt()).isEqualTo(8);
        assertThat(created.get("base").get("batchSize").asInt()).isEqualTo(Horizon.BATCH_SIZE);
        var cells = new ArrayList<String>();
        created.get("table").forEach(row -> cells.add(row.get("model").asString() + "@" + row.get("dataset").asString() + "#"
                + row.get("seed").asLong()));
        assertThat(cells).containsExactlyInAnyOrder("rnn@recall:3#1", "rnn@recall:3#2", "rnn@recall:5#1", "rnn@recall:5#2",
                "gru@recall:3#1", "gru@recall:3#2", "gru@recall:5#1", "gru@recall:5#2");

        await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/api/v1/sweeps/" + id).json().get("states").path("FINISHED")
                .asInt() == 8);
        JsonNode sweep = api.get("/api/v1/sweeps/" + id).json();
        JsonNode run = api.get("/api/v1/runs/" + sweep.get("table").get(0).get("runId").asString()).json();
        // the table's accuracy is the held-out one on the recall steps
        assertThat(sweep.get("table").get(0).get("accuracy").doubleValue())
                .isEqualTo(run.get("summary").get("test_accuracy").doubleValue());
        assertThat(run.get("summary").has("grad_norm/k=4")).isTrue();
        JsonNode curves = sweep.get("curves");
        assertThat(curves).hasSize(2);
        for (JsonNode curve : curves) {
            assertThat(curve.get("points")).hasSize(2);
            curve.get("points").forEach(p -> {
                assertThat(p.get("runs").asInt()).isEqualTo(2);
                assertThat(p.get("std").doubleValue()).isGreaterThanOrEqualTo(0);
            });
            // two steps of training leave every model at chance: each falls off at the first length
            assertThat(curve.get("fallOff").asInt()).isEqualTo(3);
        }

        JsonNode listed = api.get("/api/v1/sweeps?project=recall-api").json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(id);
        assertThat(listed.get(0).get("lengths").toString()).isEqualTo("[3,5]");
        assertThat(listed.get(0).get("models").toString()).isEqualTo("[\"rnn\",\"gru\"]");
        assertThat(listed.get(0).get("states").get("FINISHED").asInt()).isEqualTo(8);
    }

    @Test
    void epochsTheOldNameOfStepsIsAcceptedInTheGridAndBaseAndItsErrorsNameIt() {
        var api = new Api(port);
        JsonNode sweep = api.post("/api/v1/sweeps", """
                {"project": "steps-alias", "models": ["seed-rnn"], "grid": {"epochs": [3, 4]}, "base": {"steps": 100, "hidden": 8}}""")
                .json();
        var steps = new ArrayList<Integer>();
        sweep.get("table").forEach(row -> {
            steps.add(row.get("params").get("steps").asInt());
            assertThat(row.get("name").asString()).contains("steps=" + row.get("params").get("steps").asInt());
            JsonNode job = api.get("/api/v1/runs/" + row.get("runId").asString()).json().get("job");
            assertThat(job.get("steps").asInt()).as("the grid's epochs overrides the base's steps").isIn(3, 4);
        });
        assertThat(steps).containsExactlyInAnyOrder(3, 4);

        var badGrid = api.post("/api/v1/sweeps", """
                {"project": "steps-alias", "models": ["seed-rnn"], "grid": {"epochs": [0]}}""");
        assertThat(badGrid.status()).isEqualTo(400);
        assertThat(badGrid.json().get("detail").asString()).contains("epochs must be greater than or equal to 1")
                .doesNotContain("steps");
        var badBase = api.post("/api/v1/sweeps", """
                {"project": "steps-alias", "models": ["seed-rnn"], "base": {"epochs": 100001}}""");
        assertThat(badBase.status()).isEqualTo(400);
        assertThat(badBase.json().get("errors").get(0).get("field").asString()).isEqualTo("base.epochs");
        var both = api.post("/api/v1/sweeps", """
                {"project": "steps-alias", "models": ["seed-rnn"], "base": {"epochs": 10, "steps": 10}}""");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("errors").get(0).get("field").asString()).isEqualTo("base.epochs");
        assertThat(both.json().get("detail").asString()).contains("old name of steps");
        var badSteps = api.post("/api/v1/sweeps", """
                {"project": "steps-alias", "models": ["seed-rnn"], "grid": {"steps": [100001]}}""");
        assertThat(badSteps.json().get("detail").asString()).contains("steps must be less than or equal to 100000");
    }

    @Test
    void theMemorizeTaskKeepsTheOldCapacityTest() {
        var api = new Api(port);
        JsonNode sweep = api.post("/api/v1/sweeps", """
                {"project": "memorize-api", "models": ["gru"], "lengths": [8], "task": "memorize", "base": {"epochs": 1}}""")
                .json();
        assertThat(sweep.get("table").get(0).get("dataset").asString()).isEqualTo("memorize:8");
        assertThat(sweep.get("task").asString()).isEqualTo("memorize");
        assertThat(sweep.has("chance")).isFalse();
        assertThat(api.post("/api/v1/sweeps", """
                {"project": "memorize-api", "lengths": [8], "task": "sing"}""").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/sweeps", """
                {"project": "memorize-api", "lengths": [2]}""").status()).isEqualTo(400);
    }

    @Test
    void anInvalidCombinationRefusesTheWholeSweep() {
        var api = new Api(port);
        var response = api.post("/api/v1/sweeps", """
                {"project": "bad-grid", "models": ["gru"], "grid": {"hidden": [8, 100000]}}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("hidden");
        assertThat(api.get("/api/v1/runs?project=bad-grid").json().get("totalElements").asLong()).isZero();

        assertThat(api.post("/api/v1/sweeps", """
                {"project": "bad-grid", "grid": {"shoeSize": [1]}}""").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/sweeps", """
                {"project": "bad-grid", "lengths": [5000]}""").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/sweeps/nope").status()).isEqualTo(404);
    }

    @Test
    void aDl4jSweepVariesAPathInTheNetworkAndItsNextLayerFollows() {
        var api = new Api(port);
        String network = dev.trainyard.training.Dl4jTemplates.all().get(0).json(); // the Iris MLP: 4 -> 16 -> 3
        var created = api.post("/api/v1/sweeps", "{\"project\": \"dl4j-sweep\", \"models\": [\"dl4j\"], "
                + "\"grid\": {\"layers[0].nOut\": [8, 32], \"layers[1].iupdater.learningRate\": [0.02]}, "
                + "\"base\": {\"epochs\": 3, \"network\": " + network + "}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/api/v1/sweeps/" + id).json().get("states").path("FINISHED").asInt() == 2);

        var widths = new ArrayList<Integer>();
        for (JsonNode row : api.get("/api/v1/sweeps/" + id).json().get("table")) {
            JsonNode run = api.get("/api/v1/runs/" + row.get("runId").asString()).json();
            JsonNode confs = api.json(run.get("job").get("network").asString()).get("confs");
            int width = confs.get(0).get("layer").get("nout").asInt();
            widths.add(width);
            assertThat(confs.get(1).get("layer").get("nin").asInt()).as("the next layer takes the new width").isEqualTo(width);
            assertThat(confs.get(1).get("layer").get("iupdater").get("learningRate").asDouble()).isEqualTo(0.02);
            assertThat(run.get("config").get("layers[0].nOut").asInt()).as("the varied value is config").isEqualTo(width);
            assertThat(row.get("params").get("layers[0].nOut").asInt()).isEqualTo(width);
            assertThat(run.get("name").asString()).contains("layers[0].nOut=" + width);
        }
        assertThat(widths).containsExactlyInAnyOrder(8, 32);
    }

    @Test
    void aNetworkPathThatDoesNotFitRefusesTheSweepBeforeAnyRunIsQueued() {
        var api = new Api(port);
        String network = dev.trainyard.training.Dl4jTemplates.all().get(0).json();
        String sweep = "{\"project\": \"dl4j-bad-path\", \"models\": [\"dl4j\"], \"grid\": {%s}, \"base\": {\"epochs\": 2, \"network\": "
                + network + "}}";
        assertRefused(api.post("/api/v1/sweeps", sweep.formatted("\"layers[5].nOut\": [8]")), "the network has layers 0 to 1");
        assertRefused(api.post("/api/v1/sweeps", sweep.formatted("\"layers[0].width\": [8]")), "no property 'width' here");
        assertRefused(api.post("/api/v1/sweeps", sweep.formatted("\"layers[0].nOut\": [\"wide\"]")), "is not of its kind");
        assertRefused(api.post("/api/v1/sweeps", sweep.formatted("\"layers[0].nOut\": [0]")), "layers[0].nOut=0");
        assertRefused(api.post("/api/v1/sweeps", "{\"project\": \"dl4j-bad-path\", \"models\": [\"seed-rnn\"], "
                + "\"grid\": {\"layers[0].nOut\": [8]}}"), "is a place in a dl4j job's network");
        assertThat(api.get("/api/v1/runs?project=dl4j-bad-path").json().get("totalElements").asLong()).isZero();
    }

    private static void assertRefused(Api.Response response, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains(detail);
    }
}

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
}

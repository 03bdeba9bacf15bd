package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The Java client against a real server, as a user's program calls it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainyardClientTest {

    @LocalServerPort
    int port;

    @Test
    void aRunLogsStepByStepInBatchesAndFinishes() {
        var client = TrainyardClient.connect("http://localhost:" + port, null);
        var run = client.init("java-client", "baseline", Map.of("lr", 0.01), List.of("java"), "from a test");
        for (int epoch = 0; epoch < 2500; epoch++) {
            run.log(Map.of("loss", 1.0 / (epoch + 1), "epoch", epoch));
        }
        run.log(Map.of("grad_norm", Double.NaN));
        assertThat(run.summary()).containsEntry("loss", 1.0 / 2500);
        run.finish();

        var api = new Api(port);
        JsonNode stored = api.get("/api/v1/runs/" + run.id()).json();
        assertThat(stored.get("state").asString()).isEqualTo("FINISHED");
        assertThat(stored.get("name").asString()).isEqualTo("baseline");
        assertThat(stored.get("config").get("lr").doubleValue()).isEqualTo(0.01);
        JsonNode loss = api.get("/api/v1/runs/" + run.id() + "/metrics/loss?maxPoints=100000").json();
        assertThat(loss.get("total").asLong()).isEqualTo(2500);
        assertThat(loss.get("points").get(2499).get("step").asLong()).isEqualTo(2499);
        JsonNode nan = api.get("/api/v1/runs/" + run.id() + "/metrics/grad_norm").json();
        assertThat(nan.get("points").get(0).get("step").asLong()).as("the step after the last").isEqualTo(2500);
        assertThat(nan.get("points").get(0).get("value").asString()).isEqualTo("NaN");
        assertThatThrownBy(() -> run.log(Map.of("loss", 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badKeysAreRefusedAtTheCallAndUnreachableServersAfterRetrying() {
        var run = TrainyardClient.connect("http://localhost:" + port, null).init("java-client", null, null);
        assertThatThrownBy(() -> run.log(Map.of("bad key!", 1))).isInstanceOf(IllegalArgumentException.class);
        run.finish(1);
        assertThat(new Api(port).get("/api/v1/runs/" + run.id()).json().get("state").asString()).isEqualTo("FAILED");

        assertThatThrownBy(() -> TrainyardClient.connect("http://localhost:1", null).init("x", null, null))
                .isInstanceOf(TrainyardException.class).hasMessageContaining("cannot reach");
    }
}

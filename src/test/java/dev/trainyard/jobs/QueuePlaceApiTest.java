package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A queued job's progress says where it waits and how many workers are free, and no ETA; a run that is not queued says neither. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class QueuePlaceApiTest {

    @LocalServerPort
    int port;

    @Test
    void queuedJobsCountTheirPlaceInClaimOrderAndMoveUpWhenOneAheadLeaves() {
        var api = new Api(port);
        String first = job(api, "first");
        String second = job(api, "second");
        String third = job(api, "third");

        // other classes share this context and may leave jobs queued ahead: places are counted from the first's
        int place = progress(api, first).get("queue").get("position").asInt();
        assertThat(place).isPositive();
        assertThat(progress(api, second).get("queue").get("position").asInt()).isEqualTo(place + 1);
        JsonNode last = progress(api, third);
        assertThat(last.get("queue").get("position").asInt()).isEqualTo(place + 2);
        assertThat(last.get("queue").get("idleWorkers").asInt()).as("this node trains nothing").isZero();
        assertThat(last.get("etaSeconds").isNull()).as("no ETA before it runs").isTrue();

        api.post("/api/v1/runs/" + first + "/cancel", "");
        assertThat(progress(api, first).has("queue")).as("a cancelled job waits for nothing").isFalse();
        assertThat(progress(api, second).get("queue").get("position").asInt()).isEqualTo(place);
        assertThat(progress(api, third).get("queue").get("position").asInt()).isEqualTo(place + 1);

        JsonNode page = api.get("/api/v1/runs?project=queue-place&sort=createdAt").json().get("content");
        assertThat(page).extracting(r -> r.get("job").get("progress").path("queue").path("position").asInt(0))
                .as("the runs list says the same").containsExactly(0, place, place + 1);

        for (String run : new String[] {second, third}) {
            api.post("/api/v1/runs/" + run + "/cancel", "");
        }
    }

    @Test
    void aScriptRunHasNoQueue() {
        var api = new Api(port);
        var created = api.post("/api/v1/runs", "{\"project\": \"queue-place-scripts\", \"name\": \"script\"}");
        assertThat(created.json().has("job")).isFalse();
    }

    private static String job(Api api, String name) {
        var created = api.post("/api/v1/runs", "{\"project\": \"queue-place\", \"name\": \"" + name + "\", \"job\": {\"model\": \"seed-rnn\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static JsonNode progress(Api api, String id) {
        return api.get("/api/v1/runs/" + id).json().get("job").get("progress");
    }
}

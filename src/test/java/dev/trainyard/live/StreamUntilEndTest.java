package dev.trainyard.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code ?until=end}: a run's stream that a script can read to its end, the way {@code curl -N} in the README does. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamUntilEndTest {

    @LocalServerPort
    int port;

    @Test
    void aLiveRunsStreamEndsOnceItHasSentTheEnd() throws Exception {
        var api = new Api(port);
        String id = run(api);
        CompletableFuture<HttpResponse<String>> stream = open(api, id);
        api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 0.5}]}");
        assertThat(stream).as("open while the run runs").isNotDone();

        api.patch("/api/v1/runs/" + id, "{\"state\": \"FINISHED\"}");

        String body = stream.get(30, TimeUnit.SECONDS).body();
        assertThat(body).contains("event:metrics").contains("\"loss\"");
        assertThat(body.substring(body.lastIndexOf("event:"))).as("the end is the last event").startsWith("event:state")
                .contains("FINISHED");
    }

    @Test
    void anEndedRunsStreamSendsWhatItIsAskedForAndEnds() throws Exception {
        var api = new Api(port);
        String id = run(api);
        api.patch("/api/v1/runs/" + id, "{\"state\": \"FAILED\"}");

        String snapshot = open(api, id).get(30, TimeUnit.SECONDS).body();
        assertThat(snapshot).contains("event:state").contains("FAILED");

        String replay = api.get("/api/v1/runs/" + id + "/events?until=end&lastEventId=0").body();
        assertThat(replay).as("a replay from the start runs to the end and stops").contains("RUNNING").contains("FAILED");
    }

    private static String run(Api api) {
        return api.post("/api/v1/runs", "{\"project\": \"until-end\"}").json().get("id").asString();
    }

    private static CompletableFuture<HttpResponse<String>> open(Api api, String id) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(api.uri("/api/v1/runs/" + id + "/events?until=end"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

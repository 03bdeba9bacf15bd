package dev.trainyard.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.trainyard.support.Api;
import dev.trainyard.support.SseClient;
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
        try (var stream = new SseClient(api.uri("/api/v1/runs/" + id + "/events?until=end"), null)) {
            // the snapshot's state is the first event: from then on the stream is subscribed
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.events("state").isEmpty());
            api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 0.5}]}");
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.events("metrics").isEmpty());
            assertThat(stream.ended()).as("open while the run runs").isNotDone();

            api.patch("/api/v1/runs/" + id, "{\"state\": \"FINISHED\"}");

            stream.ended().get(30, TimeUnit.SECONDS);
            assertThat(stream.events("metrics").get(0).data()).contains("\"loss\"");
            var last = stream.events().get(stream.events().size() - 1);
            assertThat(last.name()).as("the end is the last event").isEqualTo("state");
            assertThat(last.data()).contains("FINISHED");
        }
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

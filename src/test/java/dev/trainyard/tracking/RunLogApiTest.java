package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.trainyard.support.Api;
import dev.trainyard.support.SseClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A script's console over HTTP: appending, the per-run limit, paging, tailing, and the live stream. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trainyard.logs.max-lines-per-run=5", "trainyard.logs.max-batch-lines=8"})
class RunLogApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    Api api;
    String run;

    @BeforeEach
    void externalRun() {
        api = new Api(port);
        run = api.post("/api/v1/runs", """
                {"project": "logs", "name": "script"}""").json().get("id").asString();
    }

    @Test
    void pastTheLimitTheOldestLinesAreDroppedAndCounted() {
        var first = api.post(logs(), lines("stdout", 1, 3));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(first.json().get("dropped").asLong()).isZero();

        var second = api.post(logs(), lines("stderr", 4, 4));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("firstSeq").asLong()).isEqualTo(4);
        assertThat(second.json().get("lastSeq").asLong()).isEqualTo(7);
        assertThat(second.json().get("dropped").asLong()).isEqualTo(2);

        JsonNode page = api.get(logs()).json();
        assertThat(texts(page)).containsExactly("line 3", "line 4", "line 5", "line 6", "line 7");
        assertThat(page.get("lines").get(0).get("seq").asLong()).isEqualTo(3);
        assertThat(page.get("lines").get(0).get("stream").asString()).isEqualTo("stdout");
        assertThat(page.get("lines").get(1).get("stream").asString()).isEqualTo("stderr");
        assertThat(page.get("dropped").asLong()).isEqualTo(2);
        assertThat(page.get("lastSeq").asLong()).isEqualTo(7);
    }

    @Test
    void aBatchLargerThanTheLimitKeepsItsNewestLines() {
        var logged = api.post(logs(), lines("stdout", 1, 8));

        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.json().get("dropped").asLong()).isEqualTo(3);
        JsonNode page = api.get(logs()).json();
        assertThat(texts(page)).containsExactly("line 4", "line 5", "line 6", "line 7", "line 8");
        assertThat(page.get("lines").get(0).get("seq").asLong()).isEqualTo(4);
    }

    @Test
    void pagesGoForwardFromALineAndTailReadsTheNewest() {
        api.post(logs(), lines("stdout", 1, 5));

        JsonNode page = api.get(logs() + "?after=1&limit=2").json();
        assertThat(texts(page)).containsExactly("line 2", "line 3");
        assertThat(texts(api.get(logs() + "?after=3").json())).containsExactly("line 4", "line 5");
        assertThat(texts(api.get(logs() + "?after=5").json())).isEmpty();
        JsonNode tail = api.get(logs() + "?tail=2").json();
        assertThat(texts(tail)).containsExactly("line 4", "line 5");
        assertThat(tail.get("lastSeq").asLong()).isEqualTo(5);
    }

    @Test
    void aRunThatLoggedNothingHasAnEmptyLog() {
        JsonNode page = api.get(logs()).json();

        assertThat(page.get("lines").size()).isZero();
        assertThat(page.get("dropped").asLong()).isZero();
        assertThat(page.get("lastSeq").asLong()).isZero();
    }

    @Test
    void aLongLineIsCutAndCharactersADatabaseCannotHoldAreReplaced() {
        String longLine = "x".repeat(RunLogs.MAX_LINE_CHARS + 50);
        assertThat(api.post(logs(), "{\"lines\": [{\"stream\": \"stdout\", \"text\": \"" + longLine + "\"}]}").status())
                .isEqualTo(200);

        String stored = api.get(logs()).json().get("lines").get(0).get("text").asString();
        assertThat(stored).hasSize(RunLogs.MAX_LINE_CHARS).endsWith("…");
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        assertProblem(api.post(logs(), "{\"lines\": []}"), 400, "lines");
        assertProblem(api.post(logs(), "{}"), 400, "lines");
        assertProblem(api.post(logs(), "{\"lines\": [null]}"), 400, "lines[0]");
        assertProblem(api.post(logs(), "{\"lines\": [{\"stream\": \"stdin\", \"text\": \"a\"}]}"), 400, "lines[0].stream");
        assertProblem(api.post(logs(), "{\"lines\": [{\"stream\": \"stdout\"}]}"), 400, "lines[0].text");
        assertProblem(api.post(logs(), "{\"lines\": [{\"stream\": \"stdout\", \"text\": \"a\", \"time\": \"yesterday\"}]}"), 400,
                null);
        assertProblem(api.post(logs(), lines("stdout", 1, 9)), 413, null);
        assertProblem(api.get(logs() + "?tail=0"), 400, "tail");
        assertProblem(api.get(logs() + "?tail=3&after=1"), 400, "tail");
        assertProblem(api.get(logs() + "?limit=10001"), 400, "limit");
        assertProblem(api.get(logs() + "?after=-1"), 400, "after");
        assertProblem(api.get(logs() + "?after=abc"), 400, null);
        assertProblem(api.post("/api/v1/runs/nosuchrun/logs", lines("stdout", 1, 1)), 404, null);
        assertProblem(api.get("/api/v1/runs/nosuchrun/logs"), 404, null);
        assertThat(api.get(logs()).json().get("lines").size()).as("nothing refused was stored").isZero();
    }

    @Test
    void linesAreStreamedLiveAsLogEvents() {
        try (var live = new SseClient(api.uri("/api/v1/runs/" + run + "/events"), null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !live.events("state").isEmpty());
            api.post(logs(), lines("stdout", 1, 2));
            api.post(logs(), lines("stderr", 3, 1));

            await().atMost(Duration.ofSeconds(10)).until(() -> live.events("log").size() >= 2);
            var received = new ArrayList<String>();
            long dropped = 0;
            for (var event : live.events("log")) {
                JsonNode data = JSON.readTree(event.data());
                received.addAll(texts(data));
                dropped = data.get("dropped").asLong();
            }
            assertThat(received).containsExactly("line 1", "line 2", "line 3");
            assertThat(dropped).isZero();
        }
    }

    private void assertProblem(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(response.body()).contains("\"" + field + "\"");
        }
    }

    private String logs() {
        return "/api/v1/runs/" + run + "/logs";
    }

    private static String lines(String stream, int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> "{\"stream\": \"" + stream + "\", \"text\": \"line " + i + "\"}")
                .collect(Collectors.joining(", ", "{\"lines\": [", "]}"));
    }

    private static List<String> texts(JsonNode page) {
        var texts = new ArrayList<String>();
        page.get("lines").forEach(l -> texts.add(l.get("text").asString()));
        return texts;
    }
}

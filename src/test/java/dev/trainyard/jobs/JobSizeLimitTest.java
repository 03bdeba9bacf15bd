package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import dev.trainyard.support.Api;
import dev.trainyard.support.Multipart;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code trainyard.jobs.max-work} at submission: a job at, just inside and just outside the limit,
 * along each thing the work multiplies, by the API and by a sweep, which takes all its runs or none.
 * The limit is set to exactly 1000 epochs of the seed tutorial's cell: 3,780 parameters (hidden 35
 * over the 35-symbol alphabet) × 49 steps (the start marker and the sentence's 48 characters).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trainyard.workers.count=0", "trainyard.jobs.max-work=" + JobSizeLimitTest.LIMIT})
class JobSizeLimitTest {

    static final long PER_EPOCH = 3_780L * 49;
    static final long LIMIT = PER_EPOCH * 1000;

    @LocalServerPort
    int port;

    record Case(String name, String job, int status) {
    }

    @TestFactory
    Stream<DynamicTest> jobsAtJustInsideAndJustOutsideTheLimit() {
        var api = new Api(port);
        var cases = List.of(
                new Case("epochs at the limit", "\"epochs\": 1000", 201),
                new Case("epochs just inside", "\"epochs\": 999", 201),
                new Case("epochs just outside", "\"epochs\": 1001", 400),
                new Case("hidden just inside", "\"epochs\": 1000, \"hidden\": 34", 201),
                new Case("hidden just outside", "\"epochs\": 1000, \"hidden\": 36", 400),
                // memorize:48 has the sentence's length, so the same steps; one more character is one more step
                new Case("text length at the limit", "\"epochs\": 1000, \"dataset\": \"memorize:48\"", 201),
                new Case("text length just outside", "\"epochs\": 1000, \"dataset\": \"memorize:49\"", 400));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String project = "limit-" + c.name().replace(' ', '-');
            var response = api.post("/api/v1/runs", "{\"project\": \"" + project + "\", \"job\": {\"model\": \"seed-rnn\", "
                    + c.job() + "}}");

            assertThat(response.status()).as(response.body()).isEqualTo(c.status());
            if (c.status() == 400) {
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.json().get("detail").asString())
                        .contains("trainyard.jobs.max-work")
                        .contains(String.format("at most %,d are allowed", LIMIT));
                assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("job");
                assertThat(runsIn(api, project)).as("a refused job is not queued").isZero();
            }
        }));
    }

    @Test
    void aSweepWithOneRunOverTheLimitLaunchesNone() {
        var api = new Api(port);

        var refused = api.post("/api/v1/sweeps", """
                {"project": "limit-sweep", "models": ["seed-rnn"], "grid": {"epochs": [999, 1000, 1001]}}""");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("grid");
        assertThat(refused.json().get("detail").asString()).contains("epochs=1001").contains("trainyard.jobs.max-work");
        assertThat(runsIn(api, "limit-sweep")).isZero();

        var accepted = api.post("/api/v1/sweeps", """
                {"project": "limit-sweep", "models": ["seed-rnn"], "grid": {"epochs": [999, 1000]}}""");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(runsIn(api, "limit-sweep")).isEqualTo(2);
    }

    @Test
    void aJobTooLargeForMemoryIsRefusedAtSubmissionNotFailedLater() {
        var api = new Api(port);
        var response = api.post("/api/v1/runs", """
                {"project": "limit-memory", "job": {"model": "lstm", "dataset": "builtin:tales", "epochs": 1, "hidden": 1024,
                 "layers": 4, "embedding": 512, "sequenceLength": 10000, "batchSize": 1024}}""");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("the job is too large");
        assertThat(runsIn(api, "limit-memory")).isZero();
    }

    @Test
    void aJobOnAnUploadIsSizedFromTheUploadsVocabulary() {
        var api = new Api(port);
        String id = Multipart.post(api.uri("/api/v1/datasets"), "abc.txt", "text/plain",
                "abcdefgh".repeat(100).getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        // gru with its defaults over 8 symbols: 52,668 parameters × 200 steps = 10,533,600 an epoch; 17 fit, 18 do not
        String job = "{\"project\": \"limit-upload\", \"job\": {\"model\": \"gru\", \"dataset\": \"dataset:" + id
                + "\", \"epochs\": %d}}";

        assertThat(api.post("/api/v1/runs", job.formatted(17)).status()).isEqualTo(201);
        var refused = api.post("/api/v1/runs", job.formatted(18));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString()).contains("52,668 parameters");
    }

    private static long runsIn(Api api, String project) {
        var list = api.get("/api/v1/runs?project=" + project);
        return list.json().get("totalElements").asLong();
    }
}

package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.support.Api;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code job} of a run as the API writes it, byte for byte: the Python and Java clients read
 * it, so the dashboard's typed view of it must not change a character. No worker runs, so the
 * progress is what the test writes to the job row. A job with no ETA yet reads {@code "etaSeconds":null}
 * (until #15 the job read model took the null column as 0, and a queued job showed "ETA 0s").
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class RunJobJsonTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    @Test
    void aSeedRnnJobIsItsStoredSpecWithNullsThenItsProgress() {
        String id = job("""
                {"model": "seed-rnn", "steps": 30, "hidden": 8}""");

        assertThat(api.get("/api/v1/runs/" + id).json().properties()).extracting(java.util.Map.Entry::getKey)
                .as("the progress is inside the job, not beside it").containsExactly("id", "project", "projectName", "name",
                        "kind", "state", "config", "tags", "createdAt", "summary", "job", "lastEventId", "nextStep");
        assertThat(api.get("/api/v1/runs/" + id).body()).containsPattern(queued(
                "\"job\":{\"model\":\"seed-rnn\",\"dataset\":\"seed-sentence\","
                + "\"steps\":30,\"hidden\":8,\"layers\":null,\"embedding\":null,\"learningRate\":0.01,\"optimizer\":\"adam\","
                + "\"loss\":\"mse\",\"sequenceLength\":null,\"batchSize\":null,\"seed\":1,\"clipGradient\":null,\"sampleEvery\":100,"
                + "\"progress\":{\"step\":0,\"steps\":30,\"etaSeconds\":null"));
    }

    @Test
    void aCharLmJobInTrainingShowsItsStepAndEta() {
        String id = job("""
                {"model": "gru", "dataset": "memorize:16", "steps": 40, "learningRate": 0.0001, "clipGradient": 5}""");
        jdbc.update("update job set epoch = 12, eta_seconds = 65 where run_id = ?", id);
        jdbc.update("update run set state = 'RUNNING' where id = ?", id); // no worker here; a queued job has no ETA

        String expected = "\"job\":{\"model\":\"gru\",\"dataset\":\"memorize:16\",\"steps\":40,\"hidden\":100,\"layers\":1,"
                + "\"embedding\":70,\"learningRate\":1.0E-4,\"optimizer\":\"adam\",\"loss\":\"xent\",\"sequenceLength\":200,"
                + "\"batchSize\":1,\"seed\":1,\"clipGradient\":5.0,\"sampleEvery\":50,"
                + "\"progress\":{\"step\":12,\"steps\":40,\"etaSeconds\":65}}";
        assertThat(api.get("/api/v1/runs/" + id).body()).contains(expected);
        assertThat(api.get("/api/v1/runs?project=wire").body()).as("the runs list writes it the same").contains(expected);
    }

    @Test
    void aDl4jJobKeepsItsEpochsAndItsNetworkAsAString() {
        String id = job("""
                {"model": "seed-rnn", "steps": 3}""");
        var spec = JobSpec.dl4j("{\"confs\":[]}", "builtin:iris", null, null, 7, null, null).withDefaults();
        jdbc.update("update job set spec = ?, epochs = 7 where run_id = ?", json.writeValueAsString(spec), id);

        assertThat(api.get("/api/v1/runs/" + id).body()).containsPattern(queued(
                "\"job\":{\"model\":\"dl4j\",\"dataset\":\"builtin:iris\",\"epochs\":7,"
                + "\"hidden\":null,\"layers\":null,\"embedding\":null,\"learningRate\":null,\"optimizer\":null,\"loss\":null,"
                + "\"sequenceLength\":null,\"batchSize\":32,\"seed\":null,\"clipGradient\":null,\"sampleEvery\":null,"
                + "\"network\":\"{\\\"confs\\\":[]}\",\"label\":\"species\",\"task\":\"classification\","
                + "\"validationFraction\":0.2,\"normalizer\":\"standardize\","
                + "\"progress\":{\"step\":0,\"steps\":7,\"etaSeconds\":null"));
    }

    @Test
    void aSpecStoredBeforeStepsReadsBackWithStepsInThePlaceOfEpochs() {
        String id = job("""
                {"model": "seed-rnn", "steps": 3}""");
        jdbc.update("update job set spec = ?, epochs = 30 where run_id = ?", """
                {"model":"seed-rnn","dataset":"seed-sentence","epochs":30,"hidden":8,"layers":null,"embedding":null,\
                "learningRate":0.01,"optimizer":"adam","loss":"mse","sequenceLength":null,"batchSize":null,"seed":1,\
                "clipGradient":null,"sampleEvery":100}""", id);

        assertThat(api.get("/api/v1/runs/" + id).body()).containsPattern(queued(
                "\"job\":{\"model\":\"seed-rnn\",\"dataset\":\"seed-sentence\","
                + "\"steps\":30,\"hidden\":8,\"layers\":null,\"embedding\":null,\"learningRate\":0.01,\"optimizer\":\"adam\","
                + "\"loss\":\"mse\",\"sequenceLength\":null,\"batchSize\":null,\"seed\":1,\"clipGradient\":null,\"sampleEvery\":100,"
                + "\"progress\":{\"step\":0,\"steps\":30,\"etaSeconds\":null"));
    }

    /** The run's job as written up to its progress's ETA, then a queued job's place: it waits, with no worker here. */
    private static String queued(String upToEta) {
        return java.util.regex.Pattern.quote(upToEta) + ",\"queue\":\\{\"position\":\\d+,\"idleWorkers\":0\\}\\}\\}";
    }

    @Test
    void anExternalRunHasNoJob() {
        var created = api.post("/api/v1/runs", """
                {"project": "wire", "name": "script"}""");
        assertThat(api.get("/api/v1/runs/" + created.json().get("id").asString()).body()).doesNotContain("\"job\"")
                .doesNotContain("progress");
    }

    private String job(String spec) {
        var created = api.post("/api/v1/runs", "{\"project\": \"wire\", \"job\": " + spec + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }
}

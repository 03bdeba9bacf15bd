package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A job run's config holds its effective hyper-parameters, as a script's holds its own, so both kinds
 * sort, filter and compare by config alike; {@code job} still holds the spec. No workers: jobs stay queued.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class JobRunConfigApiTest {

    private static final String MLFLOW = "/api/2.0/mlflow/";

    @LocalServerPort
    int port;

    @Test
    void aQueuedJobsConfigIsItsSpecWithTheDefaultsApplied() {
        var api = new Api(port);
        var created = api.post("/api/v1/runs", """
                {"project": "job-config", "name": "small", "job": {"model": "seed-rnn", "hidden": 8, "epochs": 30}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        JsonNode run = api.get("/api/v1/runs/" + created.json().get("id").asString()).json();
        JsonNode config = run.get("config");
        assertThat(config.propertyNames()).containsExactly("model", "dataset", "steps", "hidden", "learningRate", "optimizer",
                "loss", "seed", "sampleEvery");
        assertThat(config.get("model").asString()).isEqualTo("seed-rnn");
        assertThat(config.get("dataset").asString()).isEqualTo("seed-sentence");
        assertThat(config.get("steps").asInt()).as("epochs is the old name of steps").isEqualTo(30);
        assertThat(config.get("hidden").asInt()).isEqualTo(8);
        assertThat(config.get("learningRate").asDouble()).as("the tutorial's default").isEqualTo(0.01);
        assertThat(config.get("seed").asLong()).isEqualTo(1);
        assertThat(created.json().get("config")).as("the create's answer says the same").isEqualTo(config);

        JsonNode job = run.get("job");
        assertThat(job.get("hidden").asInt()).isEqualTo(8);
        assertThat(job.get("steps").asInt()).isEqualTo(30);
        assertThat(job.get("progress").get("steps").asInt()).isEqualTo(30);
    }

    @Test
    void theRequestsOwnConfigKeysStayButTheJobsHyperParametersWin() {
        var api = new Api(port);
        var created = api.post("/api/v1/runs", """
                {"project": "job-config", "config": {"purpose": "baseline", "hidden": 999},
                 "job": {"model": "gru", "hidden": 16, "epochs": 3}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        JsonNode config = api.get("/api/v1/runs/" + created.json().get("id").asString()).json().get("config");
        assertThat(config.get("purpose").asString()).isEqualTo("baseline");
        assertThat(config.get("hidden").asInt()).as("what the job trains with").isEqualTo(16);
        assertThat(config.get("steps").asInt()).isEqualTo(3);
        assertThat(config.get("embedding").asInt()).as("gru's default").isEqualTo(70);
    }

    @Test
    void runsOfBothKindsFilterAndSortByTheSameConfigKeys() {
        var api = new Api(port);
        String project = "both-kinds-" + System.nanoTime();
        post(api, "{\"project\": \"" + project + "\", \"name\": \"script\", \"config\": {\"learningRate\": 0.01, \"hidden\": 7}}");
        post(api, "{\"project\": \"" + project + "\", \"name\": \"job-8\", \"job\": {\"model\": \"seed-rnn\", \"hidden\": 8}}");
        post(api, "{\"project\": \"" + project + "\", \"name\": \"job-9\", \"job\": {\"model\": \"seed-rnn\", \"hidden\": 9, "
                + "\"learningRate\": 0.05}}");
        String experiment = api.get(MLFLOW + "experiments/get-by-name?experiment_name=" + project).json().get("experiment")
                .get("experiment_id").asString();

        assertThat(names(search(api, experiment, "params.learningRate = '0.01'", "params.hidden DESC")))
                .as("the script's 0.01 and the job's default 0.01, by hidden").containsExactly("job-8", "script");
        assertThat(names(search(api, experiment, null, "params.hidden ASC"))).containsExactly("script", "job-8", "job-9");
        assertThat(names(search(api, experiment, "params.optimizer = 'adam'", null))).containsExactlyInAnyOrder("job-8", "job-9");

        JsonNode listed = api.get("/api/v1/runs?project=" + project + "&sort=name,desc").json();
        List<String> listedNames = new ArrayList<>();
        listed.get("content").forEach(r -> listedNames.add(r.get("name").asString()));
        assertThat(listedNames).containsExactly("script", "job-9", "job-8");
        listed.get("content").forEach(r -> assertThat(r.get("config").has("hidden")).as(r.get("name").asString()).isTrue());
    }

    private static void post(Api api, String body) {
        var response = api.post("/api/v1/runs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private static JsonNode search(Api api, String experiment, String filter, String orderBy) {
        String body = "{\"experiment_ids\": [\"" + experiment + "\"]" + (filter == null ? "" : ", \"filter\": \"" + filter + "\"")
                + (orderBy == null ? "" : ", \"order_by\": [\"" + orderBy + "\"]") + "}";
        var response = api.post(MLFLOW + "runs/search", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("runs");
    }

    private static List<String> names(JsonNode runs) {
        var names = new ArrayList<String>();
        if (runs != null) {
            runs.forEach(r -> names.add(r.get("info").get("run_name").asString()));
        }
        return names;
    }
}

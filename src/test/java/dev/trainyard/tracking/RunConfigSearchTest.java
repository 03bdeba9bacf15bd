package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs of both kinds filtered and sorted by config values over the REST API: a script's own config
 * and a job's effective hyper-parameters are searched the same way. No worker runs, so jobs stay queued.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class RunConfigSearchTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Api api;
    String project;
    String a;
    String b;
    String job;
    String bare;

    @BeforeEach
    void runs() {
        api = new Api(port);
        project = "cfg-" + System.nanoTime();
        a = create("{\"project\": \"%s\", \"name\": \"a\", \"config\": {\"lr\": 0.01, \"model\": \"gru\", \"hidden\": 64, "
                + "\"optimizer\": {\"name\": \"adam\"}}}");
        b = create("{\"project\": \"%s\", \"name\": \"b\", \"config\": {\"lr\": 0.1, \"model\": \"lstm\"}}");
        job = create("{\"project\": \"%s\", \"name\": \"job\", \"job\": {\"model\": \"seed-rnn\", \"steps\": 5, \"hidden\": 35}}");
        bare = create("{\"project\": \"%s\", \"name\": \"bare\"}");
    }

    @Test
    void conditionsOnConfigValuesCombine() {
        assertThat(names("config=lr>0.05")).containsExactly("b");
        assertThat(names("config=lr<=0.01&config=model=gru")).containsExactly("a");
        assertThat(names("config=optimizer.name=adam")).as("a nested key, dotted").containsExactly("a");
        assertThat(names("config=model!=gru")).as("a run without the key passes !=").containsExactlyInAnyOrder("b", "job", "bare");
        assertThat(names("config=model=seed-rnn")).as("a job's effective hyper-parameters").containsExactly("job");
        assertThat(names("config=hidden>=35")).as("a script's and a job's alike").containsExactlyInAnyOrder("a", "job");
        assertThat(names("config=learningRate=0.01")).as("the job's default learning rate").containsExactly("job");
    }

    @Test
    void sortingByAConfigValuePutsRunsWithoutItLast() {
        assertThat(names("sort=config.lr")).startsWith("a", "b").hasSize(4);
        assertThat(names("sort=config.lr,desc")).startsWith("b", "a");
        assertThat(names("sort=config.hidden,desc")).startsWith("a", "job");
        assertThat(names("sort=config.model")).as("text, as text").containsExactly("a", "b", "job", "bare");
    }

    @Test
    void aChangedConfigIsSearchedAsItIsNow() {
        assertThat(api.patch("/api/v1/runs/" + a, "{\"config\": {\"lr\": 0.5}}").status()).isEqualTo(200);
        assertThat(names("config=lr>0.05")).containsExactlyInAnyOrder("a", "b");
        assertThat(names("config=model=gru")).as("the old keys are gone with the old config").isEmpty();

        // a resumed script's config is merged into what it had
        var resumed = api.post("/api/v1/runs", "{\"project\": \"" + project + "\", \"id\": \"" + b + "\", \"resume\": \"allow\", "
                + "\"config\": {\"seed\": 7}}");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(names("config=seed=7&config=model=lstm")).containsExactly("b");

        api.delete("/api/v1/runs/" + b);
        assertThat(jdbc.queryForObject("select count(*) from run_config where run_id = ?", Long.class, b))
                .as("a deleted run's rows go with it").isZero();
    }

    @Test
    void aConditionThatCannotBeReadIsA400NamingTheField() {
        for (String bad : List.of("lr", ">1", "model>gru", "model<=x")) {
            var response = api.get("/api/v1/runs?project=" + project + "&config=" + Api.encode(bad));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).as(bad).contains("config");
        }
    }

    private String create(String body) {
        var created = api.post("/api/v1/runs", body.formatted(project));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private List<String> names(String query) {
        var response = api.get("/api/v1/runs?project=" + project + "&" + encodeValues(query));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var names = new ArrayList<String>();
        response.json().get("content").forEach(run -> names.add(run.get("name").asString()));
        return names;
    }

    /** Encodes each parameter's value, since conditions hold = < > and !. */
    private static String encodeValues(String query) {
        var parts = new ArrayList<String>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            parts.add(part.substring(0, eq + 1) + Api.encode(part.substring(eq + 1)));
        }
        return String.join("&", parts);
    }
}

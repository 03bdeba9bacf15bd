package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.trainyard.shared.web.QuotaExceededException;
import dev.trainyard.support.Api;
import dev.trainyard.support.TeamServer;
import dev.trainyard.tracking.JobIntake;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job submission as {@code jobs} now does it for {@code tracking}: a refused job is a 400 or 429
 * problem naming what was wrong, exactly as before, and leaves no run behind; an accepted one is
 * queued with its submitter, in the transaction that creates its run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-username=root", "trainyard.auth.admin-password=first-admin-pw",
        "trainyard.workers.count=0", "trainyard.runs.max-queued-jobs-per-user=2",
        // The seed cell's 1000 steps exactly (see JobSizeLimitTest), so 1001 is over.
        "trainyard.jobs.max-work=" + 3_780L * 49 * 1000})
class JobSubmissionTest {

    private static final String PASSWORD = "submit-pw-123";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobIntake intake;

    @Autowired
    RunManagement runs;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JsonMapper json;

    @Test
    void aUsersQueuedJobsAreCappedAndTheRefusedOneLeavesNoRun() {
        String user = "quota" + System.nanoTime();
        var member = new TeamServer(port, "root", "first-admin-pw").script(user, PASSWORD, "MEMBER");
        String first = created(member, job(user, "\"epochs\": 5"));
        created(member, job(user, "\"epochs\": 5"));

        var refused = member.post("/api/v1/runs", job(user, "\"epochs\": 5"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("limit").asString()).isEqualTo("trainyard.runs.max-queued-jobs-per-user");
        assertThat(refused.json().get("detail").asString()).contains(user + " already has 2 queued jobs");
        assertThat(runsIn(user)).isEqualTo(2);
        assertThat(jdbc.queryForList("select submitted_by from job j join run r on r.id = j.run_id join project p "
                + "on p.id = r.project_id where p.name = ?", String.class, user)).containsExactly(user, user);

        assertThat(member.post("/api/v1/runs/" + first + "/cancel", "").status()).isEqualTo(200);
        created(member, job(user, "\"epochs\": 5"));
        assertThat(runsIn(user)).as("only queued jobs count").isEqualTo(3);
    }

    @Test
    void aJobOnAMissingUploadIsRefusedAtJobDataset() {
        String user = "dataset" + System.nanoTime();
        var member = new TeamServer(port, "root", "first-admin-pw").script(user, PASSWORD, "MEMBER");

        var refused = member.post("/api/v1/runs", job(user, "\"model\": \"gru\", \"dataset\": \"dataset:nosuchupload\""));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("job.dataset");
        assertThat(refused.json().get("detail").asString()).contains("dataset 'nosuchupload' does not exist");
        assertThat(runsIn(user)).isZero();
    }

    @Test
    void aJobOverTheWorkLimitIsRefusedAtJob() {
        String user = "size" + System.nanoTime();
        var member = new TeamServer(port, "root", "first-admin-pw").script(user, PASSWORD, "MEMBER");
        created(member, job(user, "\"epochs\": 1000"));

        var refused = member.post("/api/v1/runs", job(user, "\"epochs\": 1001"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("job");
        assertThat(refused.json().get("detail").asString()).contains("trainyard.jobs.max-work");
        assertThat(runsIn(user)).isEqualTo(1);
    }

    @Test
    void theQueuedSpecHasItsDefaultsSoTheWorkerTrainsWhatTheConfigSays() {
        String id = runs.create(new NewRun("stored-spec", null, null, null, null, JobSpec.seedRnn(30, 8, null, null))).getId();

        String stored = jdbc.queryForObject("select spec from job where run_id = ?", String.class, id);
        JobSpec spec = json.readValue(stored, JobSpec.class);
        assertThat(spec).isEqualTo(JobSpec.seedRnn(30, 8, null, null).withDefaults());
        assertThat(jdbc.queryForObject("select epochs from job where run_id = ?", Integer.class, id)).isEqualTo(30);
        assertThat(json.readValue(runs.get(id).getConfig(), java.util.Map.class))
                .isEqualTo(JobHyperParameters.of(spec, json));
        assertThat(intake.records(List.of(id, "no-such-run")).keySet()).containsExactly(id);
    }

    @Test
    void admittingOrQueueingOutsideTheCreatingTransactionIsAnError() {
        var spec = JobSpec.seedRnn(5, null, null, null);

        assertThatThrownBy(() -> intake.admit(spec)).isInstanceOf(IllegalTransactionStateException.class);
        assertThatThrownBy(() -> intake.enqueue("r1", spec)).isInstanceOf(IllegalTransactionStateException.class);
    }

    /**
     * The quota's lock on the user's row lasts until the run is committed: a second submission by the
     * same user waits for the first, then counts its job.
     */
    @Test
    void theQuotaLockIsHeldUntilTheRunIsCommitted() throws Exception {
        String user = "lock" + System.nanoTime();
        new TeamServer(port, "root", "first-admin-pw").createUser(user, PASSWORD, "MEMBER");
        var spec = JobSpec.seedRnn(5, null, null, null);
        as(user, () -> runs.create(new NewRun(user, null, null, null, null, spec))).get(30, TimeUnit.SECONDS);
        var firstCreated = new CountDownLatch(1);
        var commitFirst = new CountDownLatch(1);

        var first = as(user, () -> new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            runs.create(new NewRun(user, null, null, null, null, spec));
            firstCreated.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> commitFirst.getCount() == 0);
        }));
        assertThat(firstCreated.await(30, TimeUnit.SECONDS)).isTrue();
        var second = as(user, () -> runs.create(new NewRun(user, null, null, null, null, spec)));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
        commitFirst.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(QuotaExceededException.class).hasMessageContaining("already has 2 queued jobs");
        assertThat(runsIn(user)).isEqualTo(2);
    }

    private static CompletableFuture<Object> as(String user, Runnable work) {
        return CompletableFuture.supplyAsync(() -> {
            SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(user, null, List.of()));
            try {
                work.run();
                return null;
            } finally {
                SecurityContextHolder.clearContext();
            }
        });
    }

    private static String job(String project, String spec) {
        return "{\"project\": \"" + project + "\", \"job\": {" + spec + "}}";
    }

    private static String created(Api api, String body) {
        var response = api.post("/api/v1/runs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private int runsIn(String project) {
        return jdbc.queryForObject("select count(*) from run r join project p on p.id = r.project_id where p.name = ?",
                Integer.class, project);
    }
}

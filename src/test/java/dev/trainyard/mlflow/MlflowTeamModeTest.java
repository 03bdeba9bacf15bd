package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.support.Api;
import dev.trainyard.support.TeamServer;
import dev.trainyard.accounts.SignInThrottle;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** MLFLOW_TRACKING_TOKEN on a team server: a member's API token logs, a viewer's only reads. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-password=first-admin-pw"})
class MlflowTeamModeTest {

    @LocalServerPort
    int port;

    @Autowired
    SignInThrottle throttle;

    @Test
    void basicAuthTakesAUsersPasswordOrTokenAndAViewersWritesAreRefused() {
        var team = new TeamServer(port, "admin", "first-admin-pw");
        String host = "http://localhost:" + port;
        String memberToken = team.script("mlflow-basic-member", "basic-member-pw-1", "MEMBER").authorization().substring("Bearer ".length());
        team.createUser("mlflow-basic-viewer", "basic-viewer-pw-1", "VIEWER");

        try (var byPassword = new MlflowClient(new BasicMlflowHostCreds(host, "mlflow-basic-member", "basic-member-pw-1"));
                var byToken = new MlflowClient(new BasicMlflowHostCreds(host, "mlflow-basic-member", memberToken));
                var viewer = new MlflowClient(new BasicMlflowHostCreds(host, "mlflow-basic-viewer", "basic-viewer-pw-1"));
                var wrong = new MlflowClient(new BasicMlflowHostCreds(host, "mlflow-basic-member", "not-the-password"));
                var othersToken = new MlflowClient(new BasicMlflowHostCreds(host, "mlflow-basic-viewer", memberToken))) {
            String experimentId = byPassword.createExperiment("basic auth mlflow");
            String runId = byPassword.createRun(experimentId).getRunId();
            byPassword.logMetric(runId, "loss", 0.5);
            byToken.logMetric(runId, "loss", 0.25, System.currentTimeMillis(), 1);

            assertThat(viewer.getMetricHistory(runId, "loss")).hasSize(2);
            assertThatThrownBy(() -> viewer.logMetric(runId, "loss", 0.1)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(403);
                assertThat(e.getBodyMessage()).contains("\"error_code\":\"PERMISSION_DENIED\"");
            });
            assertThatThrownBy(() -> wrong.getRun(runId)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(401);
                assertThat(e.getBodyMessage()).contains("\"error_code\":\"UNAUTHENTICATED\"");
            });
            assertThatThrownBy(() -> othersToken.getRun(runId)).as("a token is its owner's only")
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));

            // The artifact proxy takes Basic too.
            String artifact = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/basic.bin";
            var put = new Api(port).with("Authorization", basic("mlflow-basic-member", "basic-member-pw-1")).put(artifact, new byte[] {4, 2});
            assertThat(put.status()).isEqualTo(200);
            var refused = new Api(port).with("Authorization", basic("mlflow-basic-member", "nope")).put(artifact, new byte[] {9});
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().get("error_code").asString()).isEqualTo("UNAUTHENTICATED");
        } finally {
            throttle.unlock("address", "127.0.0.1");
        }
    }

    @Test
    void basicAuthFailuresCountTowardsTheSignInLock() {
        var team = new TeamServer(port, "admin", "first-admin-pw");
        String host = "http://localhost:" + port;
        team.createUser("mlflow-basic-locked", "basic-locked-pw-1", "MEMBER");
        try (var right = new MlflowClient(new BasicMlflowHostCreds(host, "mlflow-basic-locked", "basic-locked-pw-1"))) {
            right.searchExperiments();
            // One request each (the Java client retries a 401 itself, which would count three); the default lock is at five.
            var guessing = new Api(port).with("Authorization", basic("mlflow-basic-locked", "guess"));
            for (int i = 0; i < 5; i++) {
                assertThat(guessing.get("/api/2.0/mlflow/experiments/search?max_results=1").status()).isEqualTo(401);
            }
            assertThatThrownBy(right::searchExperiments).as("locked: even the right password is refused")
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(401);
                        assertThat(e.getBodyMessage()).contains("UNAUTHENTICATED").contains("too many failed sign-ins");
                    });
            assertThat(throttle.locks()).anySatisfy(lock -> assertThat(lock.subject()).isEqualTo("mlflow-basic-locked"));
        } finally {
            throttle.unlock("account", "mlflow-basic-locked");
            throttle.unlock("address", "127.0.0.1");
        }
    }

    private static String basic(String username, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aMembersTokenLogsAndAViewersWritesAreRefused() {
        // Usernames of its own: other team-mode tests share this cached context and its database.
        var team = new TeamServer(port, "admin", "first-admin-pw");
        String host = "http://localhost:" + port;
        String memberToken = team.script("mlflow-trainer", "mlflow-trainer-pw-1", "MEMBER").authorization().substring("Bearer ".length());
        String viewerToken = team.script("mlflow-watcher", "mlflow-watcher-pw-1", "VIEWER").authorization().substring("Bearer ".length());

        try (var member = new MlflowClient(new BasicMlflowHostCreds(host, memberToken));
                var viewer = new MlflowClient(new BasicMlflowHostCreds(host, viewerToken));
                var anonymous = new MlflowClient(host)) {
            String experimentId = member.createExperiment("team mlflow");
            String runId = member.createRun(experimentId).getRunId();
            member.logMetric(runId, "loss", 0.25);

            assertThat(viewer.getRun(runId).getData().getMetrics(0).getValue()).isEqualTo(0.25);
            assertThatThrownBy(() -> viewer.logMetric(runId, "loss", 0.5)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(403);
                assertThat(e.getBodyMessage()).contains("\"error_code\":\"PERMISSION_DENIED\"");
            });
            assertThatThrownBy(() -> anonymous.getRun(runId)).isInstanceOfSatisfying(MlflowHttpException.class,
                    e -> assertThat(e.getStatusCode()).isEqualTo(401));
            assertThat(member.getMetricHistory(runId, "loss")).hasSize(1);

            // Artifacts: a member uploads, a viewer downloads but may not upload.
            String artifact = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/weights.bin";
            var asMember = Api.withToken(port, memberToken);
            var asViewer = Api.withToken(port, viewerToken);
            assertThat(asMember.put(artifact, new byte[] {1, 2, 3}).status()).isEqualTo(200);
            assertThat(asViewer.bytes(artifact).body()).containsExactly(1, 2, 3);
            var refused = asViewer.put(artifact, new byte[] {9});
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("error_code").asString()).isEqualTo("PERMISSION_DENIED");
            assertThat(asMember.bytes(artifact).body()).containsExactly(1, 2, 3);
            var anonymousPut = new Api(port).put(artifact, new byte[] {9});
            assertThat(anonymousPut.status()).isEqualTo(401);
            assertThat(anonymousPut.json().get("error_code").asString()).isEqualTo("UNAUTHENTICATED");
        }
    }
}

package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.support.Api;
import dev.trainyard.support.TeamServer;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** MLFLOW_TRACKING_TOKEN on a team server: a member's API token logs, a viewer's only reads. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-password=first-admin-pw"})
class MlflowTeamModeTest {

    @LocalServerPort
    int port;

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

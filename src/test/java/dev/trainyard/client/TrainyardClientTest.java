package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The Java client against a real server, as a user's program calls it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainyardClientTest {

    @LocalServerPort
    int port;

    @Test
    void aRunLogsStepByStepInBatchesAndFinishes() {
        var client = TrainyardClient.connect("http://localhost:" + port, null);
        var run = client.init("java-client", "baseline", Map.of("lr", 0.01), List.of("java"), "from a test");
        for (int epoch = 0; epoch < 2500; epoch++) {
            run.log(Map.of("loss", 1.0 / (epoch + 1), "epoch", epoch));
        }
        run.log(Map.of("grad_norm", Double.NaN));
        assertThat(run.summary()).containsEntry("loss", 1.0 / 2500);
        run.finish();

        var api = new Api(port);
        JsonNode stored = api.get("/api/v1/runs/" + run.id()).json();
        assertThat(stored.get("state").asString()).isEqualTo("FINISHED");
        assertThat(stored.get("name").asString()).isEqualTo("baseline");
        assertThat(stored.get("config").get("lr").doubleValue()).isEqualTo(0.01);
        JsonNode loss = api.get("/api/v1/runs/" + run.id() + "/metrics/loss?maxPoints=100000").json();
        assertThat(loss.get("total").asLong()).isEqualTo(2500);
        assertThat(loss.get("points").get(2499).get("step").asLong()).isEqualTo(2499);
        JsonNode nan = api.get("/api/v1/runs/" + run.id() + "/metrics/grad_norm").json();
        assertThat(nan.get("points").get(0).get("step").asLong()).as("the step after the last").isEqualTo(2500);
        assertThat(nan.get("points").get(0).get("value").asString()).isEqualTo("NaN");
        run.log(Map.of("loss", 1)); // after finish: a warning, never an exception in the training
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/loss").json().get("total").asLong()).isEqualTo(2500);
    }

    @Test
    void aKeyTheServerWouldRefuseIsAWarningAndLeftOutWhileTheRestIsLogged() {
        var run = TrainyardClient.connect("http://localhost:" + port, null).init("java-client", null, null);
        run.log(Map.of("bad key!", 1, "loss", 0.5));
        run.log(Map.of("loss", 0.25), -1);
        run.finish(1);
        var api = new Api(port);
        assertThat(api.get("/api/v1/runs/" + run.id()).json().get("state").asString()).isEqualTo("FAILED");
        JsonNode loss = api.get("/api/v1/runs/" + run.id() + "/metrics/loss").json();
        assertThat(loss.get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics").json().toString()).doesNotContain("bad key");
        assertThat(run.journal()).as("nothing was refused").isEmpty();
    }

    @Test
    void anUnreachableServerMeansAnOfflineJournalWhichSyncUploadsOnceHoweverOftenItRuns(@TempDir Path dir) throws Exception {
        var run = new TrainyardClient(TrainyardClient.uri("http://localhost:1"), null, TrainyardClient.Mode.ONLINE, dir)
                .init("java-offline", "on a plane", Map.of("lr", 0.1));
        for (int step = 0; step < 1500; step++) {
            run.log(Map.of("loss", 1.0 / (step + 1)));
        }
        run.finish();
        assertThat(run.id()).startsWith("offline-");
        Path journal = run.journal().orElseThrow();
        assertThat(journal.getParent()).isEqualTo(dir);

        var out = new ByteArrayOutputStream();
        String id = Sync.upload(journal, "http://localhost:" + port, null, new PrintStream(out, true, StandardCharsets.UTF_8));
        String again = Sync.upload(journal, "http://localhost:" + port, null, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(again).isEqualTo(id);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("created run " + id, "1500 point(s) uploaded, state FINISHED",
                "already synced (run " + id + ")");
        var api = new Api(port);
        JsonNode stored = api.get("/api/v1/runs/" + id).json();
        assertThat(stored.get("name").asString()).isEqualTo("on a plane");
        assertThat(stored.get("state").asString()).isEqualTo("FINISHED");
        assertThat(stored.get("config").get("lr").doubleValue()).isEqualTo(0.1);
        assertThat(api.get("/api/v1/runs/" + id + "/metrics/loss?maxPoints=100000").json().get("total").asLong()).isEqualTo(1500);
        assertThat(api.get("/api/v1/runs?project=java-offline").json().get("totalElements").asLong()).as("created once").isEqualTo(1);
    }

    @Test
    void theJournalIsThePythonClientsFormatSoItsSyncUploadsItToo(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 to run the Python client with");
        var run = new TrainyardClient(TrainyardClient.uri("http://localhost:1"), null, TrainyardClient.Mode.ONLINE, dir)
                .init("java-offline-py", "synced by python", Map.of("hidden", 64));
        for (int step = 0; step < 300; step++) {
            run.log(Map.of("loss", 1.0 / (step + 1), "grad_norm", step == 7 ? Double.NaN : step));
        }
        run.finish(1);

        var sync = new ProcessBuilder("/usr/bin/python3", "-m", "trainyard", "sync", "--url", "http://localhost:" + port,
                run.journal().orElseThrow().toString()).directory(Path.of("clients/python").toFile()).redirectErrorStream(true).start();
        String printed = new String(sync.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sync.waitFor()).as(printed).isZero();

        var api = new Api(port);
        JsonNode found = api.get("/api/v1/runs?project=java-offline-py").json().get("content").get(0);
        assertThat(found.get("name").asString()).isEqualTo("synced by python");
        assertThat(found.get("state").asString()).isEqualTo("FAILED");
        String id = found.get("id").asString();
        assertThat(api.get("/api/v1/runs/" + id + "/metrics/grad_norm?maxPoints=1000").json().get("total").asLong()).isEqualTo(300);
        assertThat(Sync.upload(run.journal().orElseThrow(), "http://localhost:" + port, null, new PrintStream(new ByteArrayOutputStream())))
                .as("then Java's sync sees it synced").isEqualTo(id);
    }

    @Test
    void aRunDeletedUnderTheScriptKeepsItsPointsAndItsEndingInAJournal(@TempDir Path dir) throws Exception {
        var run = new TrainyardClient(TrainyardClient.uri("http://localhost:" + port), null, TrainyardClient.Mode.ONLINE, dir)
                .init("java-client", "deleted", null);
        run.log(Map.of("loss", 1.0));
        run.flush();
        var api = new Api(port);
        assertThat(api.delete("/api/v1/runs/" + run.id()).status()).isEqualTo(204);
        run.log(Map.of("loss", 0.5));
        run.finish(); // the points are refused (404), then the ending: neither throws

        try (var files = Files.list(dir)) {
            String journals = files.map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining());
            assertThat(journals).contains("\"value\":0.5", "\"type\":\"finish\",\"state\":\"FINISHED\"");
        }
    }

    @Test
    void disabledLogsNothingAnywhere(@TempDir Path dir) throws Exception {
        var run = new TrainyardClient(TrainyardClient.uri("http://localhost:1"), null, TrainyardClient.Mode.DISABLED, dir)
                .init("java-client", "disabled", null);
        run.log(Map.of("loss", 1.0));
        run.finish();
        assertThat(run.summary()).containsEntry("loss", 1.0);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}

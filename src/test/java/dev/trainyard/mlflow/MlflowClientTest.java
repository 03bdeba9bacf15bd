package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The official MLflow Java client against a real server: what an MLflow user's code does, seen
 * through MLflow's API and through Trainyard's own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MlflowClientTest {

    @LocalServerPort
    int port;
    MlflowClient mlflow;
    Api api;
    String prefix;

    @BeforeEach
    void client() {
        mlflow = new MlflowClient("http://localhost:" + port);
        api = new Api(port);
        prefix = "m" + System.nanoTime() % 1_000_000_000;
    }

    @AfterEach
    void close() {
        mlflow.close();
    }

    /** set_experiment(name): look it up by name, create it when missing, read it back. */
    @Test
    void setExperimentFindsOrCreatesByName() {
        String name = prefix + " char models";
        assertThat(mlflow.getExperimentByName(name)).isEmpty();
        String id = mlflow.createExperiment(name);
        assertThat(mlflow.getExperiment(id).getName()).isEqualTo(name);
        assertThat(mlflow.getExperiment(id).getLifecycleStage()).isEqualTo("active");
        assertThat(mlflow.getExperimentByName(name).orElseThrow().getExperimentId()).isEqualTo(id);
        assertThat(mlflow.searchExperiments("name = '" + name + "'").getItems())
                .extracting(e -> e.getExperimentId()).containsExactly(id);

        assertThatThrownBy(() -> mlflow.createExperiment(name)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
        });
        assertThatThrownBy(() -> mlflow.getExperiment("nosuchexperiment")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
        });
        // The experiment is a Trainyard project of that name.
        JsonNode projects = api.get("/api/v1/projects").json();
        assertThat(projects.toString()).contains(name);
    }

    @Test
    void experimentTagsAreKeptAndSearchable() {
        String id = mlflow.createExperiment(prefix + " tagged");
        mlflow.setExperimentTag(id, "team", prefix);
        assertThat(mlflow.getExperiment(id).getTagsList()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("team");
            assertThat(t.getValue()).isEqualTo(prefix);
        });
        assertThat(mlflow.searchExperiments("tags.team = '" + prefix + "'").getItems()).extracting(e -> e.getExperimentId())
                .containsExactly(id);
    }

    @Test
    void experimentZeroIsTheDefaultOne() {
        assertThat(mlflow.getExperiment("0").getName()).isEqualTo("Default");
        assertThat(mlflow.getExperimentByName("Default").orElseThrow().getExperimentId()).isEqualTo("0");
        RunInfo run = mlflow.createRun();
        assertThat(run.getExperimentId()).isEqualTo("0");
    }

    /** {@code logMetric(run, key, value)} gives no step: each value is at step 0, and every one is kept in order. */
    @Test
    void aLoopWithoutStepsKeepsEveryValue() {
        String runId = mlflow.createRun().getRunId();
        for (int i = 0; i < 50; i++) {
            mlflow.logMetric(runId, "loss", i);
        }
        List<Metric> history = mlflow.getMetricHistory(runId, "loss");
        assertThat(history).extracting(Metric::getStep).containsOnly(0L);
        assertThat(history).extracting(Metric::getValue).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 50).mapToObj(i -> (double) i).toList());
        assertThat(mlflow.getRun(runId).getData().getMetricsList()).extracting(Metric::getValue).containsExactly(49.0);
    }

    /** MLflow allows spaces in keys ("train loss"); so does Trainyard, all the way to the run page's charts. */
    @Test
    void keysWithSpacesAreStoredListedAndCharted() {
        String runId = mlflow.createRun().getRunId();
        long start = System.currentTimeMillis();
        mlflow.logParam(runId, "learning rate", "0.01");
        mlflow.logMetric(runId, "train loss", 2.0, start, 0);
        mlflow.logBatch(runId, List.of(Metric.newBuilder().setKey("train loss").setValue(1.0).setTimestamp(start + 1).setStep(1).build(),
                Metric.newBuilder().setKey("val/top 5 acc").setValue(0.5).setTimestamp(start + 1).setStep(1).build()), List.of(), List.of());

        Run run = mlflow.getRun(runId);
        assertThat(run.getData().getMetricsList()).extracting(Metric::getKey).containsExactlyInAnyOrder("train loss", "val/top 5 acc");
        assertThat(run.getData().getParamsList()).extracting(Param::getKey).containsExactly("learning rate");
        assertThat(mlflow.getMetricHistory(runId, "train loss")).extracting(Metric::getValue).containsExactly(2.0, 1.0);
        assertThat(mlflow.getMetricHistory(runId, "val/top 5 acc")).extracting(Metric::getValue).containsExactly(0.5);

        // Trainyard's API, as the run page's script asks it: the keys, then each key's history with its segments encoded.
        var keys = new ArrayList<String>();
        api.get("/api/v1/runs/" + runId + "/metrics").json().forEach(k -> keys.add(k.get("key").asString()));
        assertThat(keys).containsExactlyInAnyOrder("train loss", "val/top 5 acc");
        JsonNode history = api.get("/api/v1/runs/" + runId + "/metrics/train%20loss?maxPoints=1000").json();
        assertThat(history.get("total").asLong()).isEqualTo(2);
        assertThat(api.get("/api/v1/runs/" + runId + "/metrics/val/top%205%20acc").json().get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/runs/" + runId + "/metrics/train%20loss.csv").body()).contains("2.0").contains("1.0");
        assertThat(api.get("/api/v1/runs/" + runId).json().get("config").get("learning rate").asString()).isEqualTo("0.01");
        assertThat(api.get("/runs/" + runId).status()).isEqualTo(200);
    }

    /**
     * 30,000 points, read in pages of 25,000 (MLflow's cap) by following the token: whole, in order,
     * nothing twice at the page boundary. The 2.17.2 Java client's getMetricHistory asks for exactly
     * these pages but then fails itself (it appends the second page to the first page's unmodifiable
     * protobuf list), so the pages are read here through the client's own transport, sendGet.
     */
    @Test
    void metricHistoryOfThirtyThousandPointsPages() {
        String runId = mlflow.createRun().getRunId();
        long start = System.currentTimeMillis();
        int total = 30_000;
        for (int from = 0; from < total; from += 1000) {
            var batch = new ArrayList<Metric>(1000);
            for (int i = from; i < from + 1000; i++) {
                batch.add(Metric.newBuilder().setKey("loss").setValue(i * 0.5).setTimestamp(start + i).setStep(i).build());
            }
            mlflow.logBatch(runId, batch, List.of(), List.of());
        }

        assertThatThrownBy(() -> mlflow.getMetricHistory(runId, "loss")).as("the client's own bug; see the README")
                .isInstanceOf(UnsupportedOperationException.class);

        var steps = new ArrayList<Long>();
        var pageSizes = new ArrayList<Integer>();
        String token = null;
        do {
            JsonNode page = tools.jackson.databind.json.JsonMapper.builder().build().readTree(mlflow.sendGet("metrics/get-history?run_id="
                    + runId + "&metric_key=loss&max_results=25000" + (token == null ? "" : "&page_token=" + Api.encode(token))));
            pageSizes.add(page.get("metrics").size());
            page.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
            token = page.has("next_page_token") ? page.get("next_page_token").asString() : null;
        } while (token != null);
        assertThat(pageSizes).containsExactly(25_000, 5_000);
        assertThat(steps).containsExactlyElementsOf(java.util.stream.LongStream.range(0, total).boxed().toList());
    }

    /** mlflow.start_run(nested=True) tags the child with mlflow.parentRunId; the run pages link both ways. */
    @Test
    void nestedRunsLinkParentAndChildrenOnTheRunPage() {
        String experimentId = mlflow.createExperiment(prefix + " sweep");
        String parent = mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName("sweep <1>").build()).getRunId();
        var children = new ArrayList<String>();
        for (String name : List.of("trial-a", "trial-b")) {
            children.add(mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName(name)
                    .addTags(RunTag.newBuilder().setKey("mlflow.parentRunId").setValue(parent)).build()).getRunId());
        }
        String orphan = mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName("orphan")
                .addTags(RunTag.newBuilder().setKey("mlflow.parentRunId").setValue("0123456789abcdef0123456789abcdef")).build()).getRunId();
        String unrelated = mlflow.createRun(experimentId).getRunId();

        String parentPage = api.get("/runs/" + parent).body();
        assertThat(parentPage).contains("id=\"child-runs\"")
                .contains("<a href=\"/runs/" + children.get(0) + "\">trial-a</a>")
                .contains("<a href=\"/runs/" + children.get(1) + "\">trial-b</a>")
                .doesNotContain("/runs/" + orphan).doesNotContain("/runs/" + unrelated).doesNotContain("id=\"parent-run\"");
        String childPage = api.get("/runs/" + children.get(0)).body();
        assertThat(childPage).contains("id=\"parent-run\"").contains("<a href=\"/runs/" + parent + "\">sweep &lt;1&gt;</a>")
                .doesNotContain("id=\"child-runs\"");
        assertThat(api.get("/runs/" + orphan).body()).contains("0123456789abcdef0123456789abcdef (deleted or unknown)");
        assertThat(api.get("/runs/" + unrelated).body()).doesNotContain("id=\"parent-run\"").doesNotContain("id=\"child-runs\"");

        // A deleted child leaves the parent's list; restored, it is back.
        mlflow.deleteRun(children.get(1));
        assertThat(api.get("/runs/" + parent).body()).doesNotContain("/runs/" + children.get(1));
        mlflow.restoreRun(children.get(1));
        assertThat(api.get("/runs/" + parent).body()).contains("/runs/" + children.get(1));
    }

    /** A training script's whole life, then the run as Trainyard's API and dashboard see it. */
    @Test
    void aScriptsRunIsAFirstClassTrainyardRun() {
        String experimentId = mlflow.createExperiment(prefix + " rnn");
        // An hour ago, as a script that reports its run late says: the run started then, not when the server heard of it.
        long start = System.currentTimeMillis() - 3_600_000;
        RunInfo created = mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setUserId("alice")
                .setStartTime(start).setRunName("lstm-1")
                .addTags(RunTag.newBuilder().setKey("mlflow.source.name").setValue("train.py"))
                .addTags(RunTag.newBuilder().setKey("mlflow.source.type").setValue("LOCAL"))
                .addTags(RunTag.newBuilder().setKey("mlflow.source.git.commit").setValue("4f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"))
                .build());
        String runId = created.getRunId();
        assertThat(runId).matches("[0-9a-f]{32}");
        assertThat(created.getRunName()).isEqualTo("lstm-1");
        assertThat(created.getStatus()).isEqualTo(RunStatus.RUNNING);

        mlflow.logParam(runId, "lr", "0.01");
        mlflow.logParam(runId, "lr", "0.01");
        mlflow.logMetric(runId, "loss", 2.5, start + 1, 0);
        mlflow.logMetric(runId, "loss", 1.5, start + 2, 1);
        mlflow.logMetric(runId, "loss", Double.NaN, start + 3, 2);
        var batch = new ArrayList<Metric>();
        for (int i = 0; i < 999; i++) {
            batch.add(Metric.newBuilder().setKey("acc").setValue(i / 1000.0).setTimestamp(start + i).setStep(i).build());
        }
        mlflow.logBatch(runId, batch, List.of(Param.newBuilder().setKey("hidden").setValue("35").build()), List.of());
        mlflow.setTag(runId, "stage", "tuning");
        mlflow.setTag(runId, "doomed", "x");
        mlflow.deleteTag(runId, "doomed");
        mlflow.setTag(runId, "mlflow.note.content", "first try");
        mlflow.setTerminated(runId, RunStatus.FINISHED, System.currentTimeMillis());

        Run run = mlflow.getRun(runId);
        assertThat(run.getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.getInfo().getUserId()).isEqualTo("alice");
        assertThat(run.getInfo().getStartTime()).isEqualTo(start);
        assertThat(run.getInfo().getEndTime()).isPositive();
        assertThat(run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("lr", "0.01", "hidden", "35"));
        Map<String, String> tags = run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
        assertThat(tags).containsEntry("stage", "tuning").containsEntry("mlflow.source.name", "train.py")
                .containsEntry("mlflow.runName", "lstm-1").containsEntry("mlflow.note.content", "first try")
                .doesNotContainKey("doomed");
        Map<String, Metric> latest = run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, m -> m));
        assertThat(latest.get("loss").getValue()).as("NaN round-trips").isNaN();
        assertThat(latest.get("loss").getStep()).isEqualTo(2);
        assertThat(latest.get("acc").getValue()).isEqualTo(0.998);

        List<Metric> history = mlflow.getMetricHistory(runId, "loss");
        assertThat(history).extracting(Metric::getStep).containsExactly(0L, 1L, 2L);
        assertThat(history).extracting(Metric::getTimestamp).containsExactly(start + 1, start + 2, start + 3);
        assertThat(history.get(1).getValue()).isEqualTo(1.5);
        assertThat(mlflow.getMetricHistory(runId, "acc")).hasSize(999);

        // Trainyard's own API sees the same run: its project, name, state, config and metrics.
        JsonNode view = api.get("/api/v1/runs/" + runId).json();
        assertThat(view.get("projectName").asString()).isEqualTo(prefix + " rnn");
        assertThat(view.get("name").asString()).isEqualTo("lstm-1");
        assertThat(view.get("state").asString()).isEqualTo("FINISHED");
        assertThat(view.get("notes").asString()).isEqualTo("first try");
        assertThat(Instant.parse(view.get("startedAt").asString())).isEqualTo(Instant.ofEpochMilli(start));
        assertThat(view.get("config").get("lr").asString()).isEqualTo("0.01");
        assertThat(view.get("summary").get("acc").asDouble()).isEqualTo(0.998);
        JsonNode points = api.get("/api/v1/runs/" + runId + "/metrics/acc").json();
        assertThat(points.get("total").asLong()).isEqualTo(999);

        // Its page says who ran it from where, and lists the valued tags it does not show elsewhere.
        String page = api.get("/runs/" + runId).body();
        assertThat(page).contains("by <span id=\"run-user\">alice</span>").contains("id=\"run-source\"")
                .contains(">train.py</span>").contains(" (local)").contains(">4f2a9c1e</code>");
        String tagList = page.substring(page.indexOf("<dl id=\"mlflow-tags\""), page.indexOf("</dl>", page.indexOf("<dl id=\"mlflow-tags\"")));
        assertThat(tagList).contains("<dt>stage</dt><dd>tuning</dd>").doesNotContain("mlflow.user").doesNotContain("mlflow.runName")
                .doesNotContain("mlflow.note.content").doesNotContain("mlflow.source.name");
    }

    @Test
    void theErrorsAreMlflowsOwn() {
        String runId = mlflow.createRun().getRunId();
        mlflow.logParam(runId, "lr", "0.01");
        assertThatThrownBy(() -> mlflow.logParam(runId, "lr", "0.1")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("Changing param values is not allowed");
        });
        assertThatThrownBy(() -> mlflow.getRun("0123456789abcdef0123456789abcdef")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
        });
        assertThatThrownBy(() -> mlflow.searchRuns(List.of("0"), "metrics.loss >> 1")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("position 14");
        });
        var tooMany = new ArrayList<Metric>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Metric.newBuilder().setKey("loss").setValue(i).setTimestamp(i).setStep(i).build());
        }
        assertThatThrownBy(() -> mlflow.logBatch(runId, tooMany, List.of(), List.of())).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("at most 1000");
        });
        assertThat(mlflow.getMetricHistory(runId, "loss")).as("a refused batch logs nothing").isEmpty();
    }

    /**
     * MLflow's keys reach 250 characters. Keys of exactly 250, with a space and a slash so that a
     * filter must backquote them, work through every call; 251 is refused naming the limit.
     */
    @Test
    void keysOfTwoHundredFiftyCharactersWorkEndToEnd() {
        String experimentId = mlflow.createExperiment(prefix + " long keys");
        String runId = mlflow.createRun(experimentId).getRunId();
        String metric = key("train loss/", 'm', 250);
        String param = key("learning rate/", 'p', 250);
        String tag = key("team name/", 't', 250);
        long start = System.currentTimeMillis();
        mlflow.logMetric(runId, metric, 2.0, start, 0);
        mlflow.logBatch(runId, List.of(Metric.newBuilder().setKey(metric).setValue(1.0).setTimestamp(start + 1).setStep(1).build()),
                List.of(Param.newBuilder().setKey(param).setValue("0.01").build()),
                List.of(RunTag.newBuilder().setKey(tag).setValue("rnn").build()));
        mlflow.logParam(runId, key("cell/", 'c', 250), "gru");
        mlflow.setTag(runId, key("owner/", 'o', 250), "alice");

        assertThat(mlflow.getMetricHistory(runId, metric)).extracting(Metric::getStep, Metric::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 2.0), org.assertj.core.groups.Tuple.tuple(1L, 1.0));
        var data = mlflow.getRun(runId).getData();
        assertThat(data.getMetricsList()).extracting(Metric::getKey).containsExactly(metric);
        assertThat(data.getParamsList()).extracting(Param::getKey).contains(param, key("cell/", 'c', 250));
        assertThat(data.getTagsList()).extracting(RunTag::getKey).contains(tag, key("owner/", 'o', 250));
        String other = mlflow.createRun(experimentId).getRunId();
        mlflow.logMetric(other, metric, 5.0);
        assertThat(mlflow.searchRuns(List.of(experimentId), "metrics.`" + metric + "` < 3 and params.`" + param + "` = '0.01' and tags.`"
                + tag + "` = 'rnn'")).extracting(RunInfo::getRunId).containsExactly(runId);
        assertThat(mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 10, List.of("metrics.`" + metric + "` DESC"))
                .getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(other, runId);
        // Trainyard's own API reads the same series, which its charts draw.
        assertThat(api.get("/api/v1/runs/" + runId + "/metrics").body()).contains(metric);

        String tooLong = key("train loss/", 'm', 251);
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> refused = List.of(
                () -> mlflow.logMetric(runId, tooLong, 1.0),
                () -> mlflow.logParam(runId, tooLong, "1"),
                () -> mlflow.setTag(runId, tooLong, "1"),
                () -> mlflow.logBatch(runId, List.of(Metric.newBuilder().setKey(tooLong).setValue(1).setTimestamp(1).build()), List.of(), List.of()),
                () -> mlflow.logBatch(runId, List.of(), List.of(Param.newBuilder().setKey(tooLong).setValue("1").build()), List.of()),
                () -> mlflow.logBatch(runId, List.of(), List.of(), List.of(RunTag.newBuilder().setKey(tooLong).setValue("1").build())),
                () -> mlflow.getMetricHistory(runId, tooLong));
        for (var call : refused) {
            assertThatThrownBy(call).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(400);
                assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("251 characters").contains("at most 250");
            });
        }
        assertThat(mlflow.getRun(runId).getData().getParamsList()).extracting(Param::getKey).doesNotContain(tooLong);
    }

    private static String key(String head, char fill, int length) {
        return head + String.valueOf(fill).repeat(length - head.length());
    }

    @Test
    void searchFiltersOnMetricsParamsTagsAndAttributesAndPages() {
        String experimentId = mlflow.createExperiment(prefix + " sweep");
        var ids = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            String runId = mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName("run-" + i).build()).getRunId();
            mlflow.logBatch(runId, List.of(Metric.newBuilder().setKey("loss").setValue(1.0 / (i + 1)).setTimestamp(1).build()),
                    List.of(Param.newBuilder().setKey("cell").setValue(i % 2 == 0 ? "lstm" : "gru").build()),
                    List.of(RunTag.newBuilder().setKey("team").setValue("rnn").build()));
            if (i < 3) {
                mlflow.setTerminated(runId, RunStatus.FINISHED);
            }
            ids.add(runId);
        }
        List<String> experiments = List.of(experimentId);
        assertThat(names(mlflow.searchRuns(experiments, "metrics.loss < 0.4 and params.cell = 'lstm'",
                ViewType.ACTIVE_ONLY, 100, List.of("metrics.loss ASC")).getItems())).containsExactly("run-4", "run-2");
        assertThat(names(mlflow.searchRuns(experiments, "attributes.status = 'FINISHED' AND tags.team = 'rnn'",
                ViewType.ACTIVE_ONLY, 100, List.of("attributes.run_name DESC")).getItems())).containsExactly("run-2", "run-1", "run-0");
        assertThat(names(mlflow.searchRuns(experiments, "params.`cell` IN ('gru') and attributes.run_name LIKE 'run-%'",
                ViewType.ACTIVE_ONLY, 100, List.of("attributes.run_name")).getItems())).containsExactly("run-1", "run-3");

        var firstPage = mlflow.searchRuns(experiments, "", ViewType.ACTIVE_ONLY, 2, List.of("metrics.loss DESC"));
        assertThat(names(firstPage.getItems())).containsExactly("run-0", "run-1");
        var secondPage = firstPage.getNextPage();
        assertThat(names((List<Run>) secondPage.getItems())).containsExactly("run-2", "run-3");
        var lastPage = secondPage.getNextPage();
        assertThat(names((List<Run>) lastPage.getItems())).containsExactly("run-4");
        assertThat(lastPage.hasNextPage()).isFalse();
    }

    /** Five writers on one run, each logging its own params, tags and points: nothing lost, nothing refused. */
    @Test
    void fiveConcurrentWritersLoseNothing() throws Exception {
        String runId = mlflow.createRun().getRunId();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            var done = new ArrayList<java.util.concurrent.Future<?>>();
            for (int w = 0; w < 5; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    try (var client = new MlflowClient("http://localhost:" + port)) {
                        for (int i = 0; i < 20; i++) {
                            client.logParam(runId, "w" + writer + "p" + i, Integer.toString(i));
                            client.logMetric(runId, "w" + writer, i, 1000L + i, i);
                        }
                        client.setTag(runId, "writer" + writer, "done");
                    }
                }));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Run run = mlflow.getRun(runId);
        assertThat(run.getData().getParamsList()).hasSize(100);
        assertThat(run.getData().getTagsList()).extracting(RunTag::getKey).contains("writer0", "writer1", "writer2", "writer3", "writer4");
        for (int w = 0; w < 5; w++) {
            assertThat(mlflow.getMetricHistory(runId, "w" + w)).hasSize(20);
        }
    }

    /**
     * delete_run and delete_experiment are soft: hidden from searches and from Trainyard's runs
     * table, refused for writes, kept with their points, and restored as they were.
     */
    @Test
    void deletedRunsAndExperimentsAreHiddenKeptAndRestored() {
        String name = prefix + " bin";
        String experimentId = mlflow.createExperiment(name);
        String kept = mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName("kept").build()).getRunId();
        String binned = mlflow.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName("binned").build()).getRunId();
        mlflow.logMetric(binned, "loss", 1.0);

        mlflow.deleteRun(binned);
        mlflow.deleteRun(binned);
        RunInfo deleted = mlflow.getRun(binned).getInfo();
        assertThat(deleted.getLifecycleStage()).isEqualTo("deleted");
        assertThat(deleted.getStatus()).as("deleting does not end the run").isEqualTo(RunStatus.RUNNING);
        assertThat(names(mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100).getItems())).containsExactly("kept");
        assertThat(names(mlflow.searchRuns(List.of(experimentId), "", ViewType.DELETED_ONLY, 100).getItems())).containsExactly("binned");
        assertThat(names(mlflow.searchRuns(List.of(experimentId), "", ViewType.ALL, 100).getItems()))
                .containsExactlyInAnyOrder("kept", "binned");
        assertThatThrownBy(() -> mlflow.logMetric(binned, "loss", 2.0)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("active");
        });
        // Trainyard's runs table and project page hide it; the run and its points are kept.
        JsonNode table = api.get("/api/v1/runs?project=" + Api.encode(name)).json();
        assertThat(table.get("totalElements").asLong()).isEqualTo(1);
        assertThat(table.get("content").get(0).get("id").asString()).isEqualTo(kept);
        String slug = api.get("/api/v1/runs/" + kept).json().get("project").asString();
        assertThat(api.get("/projects/" + slug).body()).contains(kept).doesNotContain(binned);
        assertThat(api.get("/api/v1/runs/" + binned).status()).isEqualTo(200);
        assertThat(mlflow.getMetricHistory(binned, "loss")).hasSize(1);

        mlflow.restoreRun(binned);
        assertThat(mlflow.getRun(binned).getInfo().getLifecycleStage()).isEqualTo("active");
        assertThat(names(mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100).getItems()))
                .containsExactlyInAnyOrder("kept", "binned");
        mlflow.logMetric(binned, "loss", 2.0);
        assertThat(api.get("/api/v1/runs?project=" + Api.encode(name)).json().get("totalElements").asLong()).isEqualTo(2);

        // experiments/update renames the project; a taken name is refused.
        String renamed = prefix + " renamed";
        mlflow.renameExperiment(experimentId, renamed);
        assertThat(mlflow.getExperiment(experimentId).getName()).isEqualTo(renamed);
        assertThat(api.get("/api/v1/projects/" + slug).json().get("name").asString()).isEqualTo(renamed);
        String other = mlflow.createExperiment(prefix + " other");
        assertThatThrownBy(() -> mlflow.renameExperiment(other, renamed)).isInstanceOfSatisfying(MlflowHttpException.class,
                e -> assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS"));

        // experiments/delete hides the experiment and its runs; restore brings both back.
        mlflow.deleteExperiment(experimentId);
        assertThat(mlflow.getExperiment(experimentId).getLifecycleStage()).isEqualTo("deleted");
        String byName = "name = '" + renamed + "'";
        assertThat(mlflow.searchExperiments(byName, ViewType.ACTIVE_ONLY, 10, List.of()).getItems()).isEmpty();
        assertThat(mlflow.searchExperiments(byName, ViewType.DELETED_ONLY, 10, List.of()).getItems()).hasSize(1);
        assertThat(mlflow.searchExperiments(byName, ViewType.ALL, 10, List.of()).getItems()).hasSize(1);
        assertThat(mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100).getItems()).isEmpty();
        assertThat(mlflow.searchRuns(List.of(experimentId), "", ViewType.DELETED_ONLY, 100).getItems()).hasSize(2);
        assertThatThrownBy(() -> mlflow.createRun(experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(400));
        assertThat(api.get("/api/v1/projects").json().toString()).doesNotContain(renamed);
        assertThatThrownBy(() -> mlflow.deleteExperiment(experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(404));

        mlflow.restoreExperiment(experimentId);
        assertThat(mlflow.getExperiment(experimentId).getLifecycleStage()).isEqualTo("active");
        assertThat(mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100).getItems()).hasSize(2);
        assertThat(api.get("/api/v1/projects").json().toString()).contains(renamed);
        assertThatThrownBy(() -> mlflow.deleteExperiment("0")).isInstanceOfSatisfying(MlflowHttpException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }

    private static List<String> names(List<Run> runs) {
        return runs.stream().map(r -> r.getInfo().getRunName()).toList();
    }
}

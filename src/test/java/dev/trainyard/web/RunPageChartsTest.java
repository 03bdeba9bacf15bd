package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.trainyard.artifacts.RunArtifacts;
import dev.trainyard.datasets.Dataset;
import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.mlflow.MlflowRunFacts;
import dev.trainyard.mlflow.NestedRuns;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.JobSummary;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.QueuePlace;
import dev.trainyard.tracking.RunAlerts;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunSettings;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** What the run page renders for its charts and a queued job: the x-axis choice, the queue line, and an upload's name. */
@WebMvcTest(controllers = DashboardController.class)
@Import({RunTable.class, DatasetLabels.class})
class RunPageChartsTest {

    static final Instant CREATED = Instant.parse("2026-11-26T10:15:30Z");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    RunManagement runs;
    @MockitoBean
    RunSearch search;
    @MockitoBean
    RunViews views;
    @MockitoBean
    ProjectManagement projects;
    @MockitoBean
    MetricStore metrics;
    @MockitoBean
    RunSettings settings;
    @MockitoBean
    RunAlerts alerts;
    @MockitoBean
    RunArtifacts artifacts;
    @MockitoBean
    NestedRuns nested;
    /** The run page's by/from line and valued tags; MlflowClientTest#aScriptsRunIsAFirstClassTrainyardRun shows them for real. */
    @MockitoBean
    MlflowRunFacts mlflowFacts;
    @MockitoBean
    DatasetStore datasets;

    @BeforeEach
    void untaggedByMlflow() {
        given(mlflowFacts.of(any())).willReturn(MlflowRunFacts.Facts.NONE);
    }

    @Test
    void aQueuedJobShowsItsPlaceAndNoEta() {
        given(views.of("q1")).willReturn(job("q1", RunState.QUEUED, "seed-sentence", new Progress(0, 1000, null, new QueuePlace(3, 0))));

        assertThat(mvc.get().uri("/runs/q1")).hasStatusOk().bodyText()
                .contains("<span id=\"queue-place\" class=\"muted\" aria-live=\"polite\">position 3 in the queue · 0 idle workers</span>")
                .contains("step 0 of 1000")
                .contains("<span id=\"progress-eta\" class=\"muted\"></span>");
    }

    @Test
    void aRunningJobHasItsEtaAndNoQueueLine() {
        given(views.of("r1")).willReturn(job("r1", RunState.RUNNING, "seed-sentence", new Progress(5, 1000, 1L, null)));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .contains("<span id=\"queue-place\" class=\"muted\" aria-live=\"polite\" hidden=\"hidden\"></span>")
                .contains("ETA 1.0s");
    }

    @Test
    void anUploadedDatasetIsShownByItsName() {
        given(datasets.get("hfkdhj8wc1kv")).willReturn(new Dataset("hfkdhj8wc1kv", "tales.txt", 10, 10, "abc", CREATED, null));
        given(views.of("r1")).willReturn(job("r1", RunState.FINISHED, "dataset:hfkdhj8wc1kv", new Progress(1, 1, null)));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .contains("<dt>dataset</dt>")
                .contains("<dd>tales.txt (dataset:hfkdhj8wc1kv)</dd>");
    }

    @Test
    void aDeletedUploadSaysSo() {
        given(datasets.get("gone")).willThrow(new NotFoundException("dataset", "gone"));
        given(views.of("r1")).willReturn(job("r1", RunState.FINISHED, "dataset:gone", new Progress(1, 1, null)));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText().contains("<dd>dataset:gone (deleted)</dd>");
    }

    @Test
    void theChartsHaveAnXAxisChoiceAndTheirOwnStyles() {
        given(views.of("r1")).willReturn(job("r1", RunState.RUNNING, "seed-sentence", new Progress(5, 1000, 1L, null)));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .contains("<select id=\"x-axis\">")
                .contains("<option value=\"step\">step</option>")
                .contains("<option value=\"relative\">relative time</option>")
                .contains("<option value=\"wall\">wall time</option>")
                .contains("<optgroup id=\"x-axis-metrics\" label=\"a logged metric\"></optgroup>")
                .contains("<link rel=\"stylesheet\" href=\"/css/charts.css\">");
    }

    private static RunView job(String id, RunState state, String dataset, Progress progress) {
        var spec = new JobSpec(JobSpec.SEED_RNN, dataset, 1000, null, null, null, null, null, null, null, null, null, null, null);
        return new RunView(id, "default", "default", null, null, null, "a job", RunKind.JOB, state, Map.of(), List.of(), null, CREATED,
                null, null, null, Map.of(), new JobSummary(spec, progress), null, 7, null);
    }
}

package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.GroupBy;
import dev.trainyard.tracking.JobSummary;
import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.ProjectSummary;
import dev.trainyard.training.JobSpec;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.RunSettings;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.artifacts.RunArtifacts;
import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.mlflow.MlflowRunFacts;
import dev.trainyard.mlflow.NestedRuns;
import dev.trainyard.tracking.RunAlerts;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(controllers = DashboardController.class)
@Import({RunTable.class, DatasetLabels.class})
class DashboardControllerTest {

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

    /** The run page's artifact list; MlflowArtifactsTest shows it against the real store. */
    @MockitoBean
    RunArtifacts artifacts;

    /** The run page's parent and children; MlflowClientTest#nestedRunsLinkParentAndChildrenOnTheRunPage shows them for real. */
    @MockitoBean
    NestedRuns nested;
    /** The run page's by/from line and valued tags; MlflowClientTest#aScriptsRunIsAFirstClassTrainyardRun shows them for real. */
    @MockitoBean
    MlflowRunFacts mlflowFacts;

    /** Names an uploaded dataset on the run page; RunPageChartsTest shows it. */
    @MockitoBean
    DatasetStore datasets;

    /** The column menu's keys; RunsTableTest lists them from a real store. */
    @BeforeEach
    void noKeys() {
        given(search.keys(any(), anyInt())).willReturn(new RunSearch.Keys(List.of(), List.of()));
        given(mlflowFacts.of(any())).willReturn(MlflowRunFacts.Facts.NONE);
    }

    @Test
    void homeIsTheProjectsList() {
        assertThat(mvc.get().uri("/")).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/projects");
    }

    @Test
    void runNamesAreEscapedNotExecuted() {
        listing(3, job("r1", "<script>alert(1)</script>", RunState.RUNNING, 0.123456, 12, 1000));

        assertThat(mvc.get().uri("/runs")).hasStatusOk().bodyText()
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)")
                .contains("href=\"/runs/r1\"")
                .contains("step 12 / 1000")
                .contains("0.1235")
                .contains("class=\"badge state-running\"")
                .contains("<time datetime=\"2026-11-26T10:15:30Z\"");
    }

    @Test
    void emptyListInvitesALaunch() {
        listing(0);

        assertThat(mvc.get().uri("/runs")).hasStatusOk().bodyText()
                .contains("No runs yet — <a href=\"/launch\">launch one</a>");
    }

    @Test
    void filtersAndPageGoToTheQueryAndPageLinksKeepThem() {
        listing(60, job("r1", "a", RunState.FINISHED, 0.5, 10, 10));

        assertThat(mvc.get().uri("/runs?project=nlp&state=FINISHED&page=1")).hasStatusOk().bodyText()
                .contains("Page 2 of 3 · 60 runs")
                .contains("href=\"/runs?project=nlp&amp;state=FINISHED\">← Newer")
                .contains("href=\"/runs?project=nlp&amp;state=FINISHED&amp;page=2\"");
        var query = ArgumentCaptor.forClass(RunQuery.class);
        then(search).should().find(query.capture());
        assertThat(query.getValue()).isEqualTo(new RunQuery("nlp", null, RunState.FINISHED, null, null, "createdAt,desc", 1, 25));
    }

    @Test
    void anUnknownStateFilterIsABadRequestPageNotAServerError() {
        assertThat(mvc.get().uri("/runs?state=BOGUS").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
                .bodyText().contains("&#39;BOGUS&#39; is not a valid state");
        assertThat(mvc.get().uri("/projects/nlp?page=two").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyText().contains("&#39;two&#39; is not a valid page");
    }

    @Test
    void runPageCarriesWhatTheLiveScriptNeeds() {
        given(views.of("r1")).willReturn(job("r1", "<b>bold</b>", RunState.RUNNING, 0.2, 3, 100));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .contains("<h1 id=\"run-name\">&lt;b&gt;bold&lt;/b&gt;</h1>")
                .contains("data-api=\"/api/v1/runs/r1\"")
                .contains("data-last-event-id=\"42\"")
                .contains("data-state=\"RUNNING\"")
                .contains("step 3 of 100")
                .contains("ETA 1m 5s")
                // the resource chain pins the version-less webjar link to the version on the classpath
                .containsPattern("<script src=\"/webjars/chart.js/[0-9.]+/dist/chart.umd.js\"></script>")
                // a job can generate and be downloaded, but only once it has finished; until then it can be cancelled
                .containsPattern("<section id=\"generate\" class=\"generate\" hidden")
                .containsPattern("<a id=\"download-model\"[^>]*hidden")
                .containsPattern("<button id=\"cancel-button\" type=\"button\">Cancel</button>")
                .contains("<dialog id=\"delete-dialog\"");
        then(views).should(times(1)).of("r1");
    }

    @Test
    void aJobRunListsEachHyperParameterOnceWithTheConfigKeysAClientAdded() {
        RunView job = job("r1", "x", RunState.RUNNING, 0.2, 3, 100);
        var config = new java.util.LinkedHashMap<String, Object>();
        config.put("model", "seed-rnn");
        config.put("steps", 100);
        config.put("owner", Map.of("team", "nlp"));
        given(views.of("r1")).willReturn(new RunView(job.id(), job.project(), job.projectName(), null, null, null, job.name(),
                job.kind(), job.state(), config, job.tags(), null, job.createdAt(), null, null, null, job.summary(), job.job(),
                null, 42, null));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .satisfies(page -> {
                    assertThat(page.split("<dt>steps</dt>", -1)).as("steps listed once").hasSize(2);
                    assertThat(page.split("<h2>Config</h2>", -1)).as("one config section").hasSize(2);
                })
                .contains("<dt>owner</dt>")
                .contains("<dd>{&quot;team&quot;:&quot;nlp&quot;}</dd>")
                .doesNotContain("<pre class=\"config\"");
    }

    @Test
    void failedRunShowsItsError() {
        RunView failed = job("r1", "x", RunState.FAILED, Double.NaN, 3, 100);
        failed = new RunView(failed.id(), failed.project(), failed.projectName(), null, failed.group(), null, failed.name(), failed.kind(), failed.state(), failed.config(),
                failed.tags(), failed.notes(), failed.createdAt(), null, null, null, failed.summary(), failed.job(),
                "loss became <NaN>", 7, null);
        given(views.of("r1")).willReturn(failed);

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .contains("loss became &lt;NaN&gt;")
                .contains("class=\"badge state-failed\"");
    }

    @Test
    void unknownRunIsANotFoundPage() {
        given(views.of("nope")).willThrow(new NotFoundException("run", "nope"));

        assertThat(mvc.get().uri("/runs/nope").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.NOT_FOUND)
                .hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
                .bodyText().contains("Not found").contains("run &#39;nope&#39; does not exist");
    }

    @Test
    void chartJsIsServedFromTheWebjarWithAndWithoutAVersionInThePath() {
        assertThat(mvc.get().uri("/webjars/chart.js/dist/chart.umd.js")).hasStatusOk().bodyText().contains("Chart");
        assertThat(mvc.get().uri("/webjars/chart.js/4.4.1/dist/chart.umd.js")).hasStatusOk().bodyText().contains("Chart");
    }

    @Test
    void projectsListShowsRunCountsLatestActivityAndEscapedNames() {
        given(projects.summaries()).willReturn(List.of(new ProjectSummary("p1", "nlp", "<i>NLP</i>", null, CREATED, 7,
                CREATED.plusSeconds(60))));

        assertThat(mvc.get().uri("/projects")).hasStatusOk().bodyText()
                .contains("&lt;i&gt;NLP&lt;/i&gt;").doesNotContain("<i>NLP")
                .contains("href=\"/projects/nlp\"")
                .contains(">7</td>")
                .contains("<time datetime=\"2026-11-26T10:16:30Z\"");
    }

    @Test
    void noProjectsInvitesALaunch() {
        given(projects.summaries()).willReturn(List.of());
        assertThat(mvc.get().uri("/projects")).hasStatusOk().bodyText().contains("No projects yet");
    }

    @Test
    void projectPageFiltersAndSortGoToTheQueryAndLiveInTheUrl() {
        Project nlp = project("p1", "nlp", "NLP");
        given(projects.get("nlp")).willReturn(nlp);
        listing(1, job("r1", "a", RunState.RUNNING, 0.5, 1, 10));

        assertThat(mvc.get().uri("/projects/nlp?state=RUNNING&tag=t1&q=ab&sort=summary.loss")).hasStatusOk().bodyText()
                .contains("data-live-projects=\"nlp\"")
                // the sorted column says so, and its link flips the direction, keeping the filters
                .containsPattern("aria-sort=\"ascending\"><a href=\"/projects/nlp\\?state=RUNNING&amp;tag=t1&amp;q=ab&amp;sort=summary.loss%2Cdesc\">loss</a>")
                .contains("href=\"/projects/nlp?state=RUNNING&amp;tag=t1&amp;q=ab&amp;sort=name\"")
                .contains("name=\"runs\" value=\"r1\"");
        var query = ArgumentCaptor.forClass(RunQuery.class);
        then(search).should().find(query.capture());
        assertThat(query.getValue()).isEqualTo(new RunQuery("nlp", null, RunState.RUNNING, "t1", "ab", "summary.loss", 0, 25));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sortingByModelHappensInMemoryAndFilteringByModelInTheStore() throws Exception {
        given(settings.maxPageSize()).willReturn(500);
        Run lstm = entity("r1", CREATED);
        Run gru = entity("r2", CREATED.minusSeconds(10));
        Run rnn = entity("r3", CREATED.minusSeconds(20));
        given(search.find(any())).willReturn(new RunPage(List.of(lstm, gru, rnn), 0, 500, 3));
        given(views.jobs(any())).willReturn(Map.of("r1", summary("lstm"), "r2", summary("gru"), "r3", summary("rnn")));
        given(views.of(anyCollection())).willAnswer(call -> ((java.util.Collection<Run>) call.getArgument(0)).stream()
                .map(r -> job(r.getId(), "run " + r.getId(), RunState.FINISHED, 0.1, 1, 1)).toList());

        String page = mvc.get().uri("/runs?sort=model").exchange().getResponse().getContentAsString();
        assertThat(page.indexOf("run r2")).isLessThan(page.indexOf("run r1"));
        assertThat(page.indexOf("run r1")).isLessThan(page.indexOf("run r3"));

        // the store folds runs by model, so a model filter pages there (RunsTableTest shows it against a real one)
        assertThat(mvc.get().uri("/runs?model=gru")).hasStatusOk();
        var query = ArgumentCaptor.forClass(RunQuery.class);
        then(search).should(org.mockito.Mockito.atLeastOnce()).find(query.capture());
        assertThat(query.getValue().folds()).containsExactly(new GroupBy.Fold(new GroupBy(GroupBy.Kind.MODEL, null), "gru"));
        assertThat(query.getValue().size()).isEqualTo(RunTable.PAGE_SIZE);
    }

    @Test
    void anUnknownSortColumnOrProjectIsAnErrorPage() {
        assertThat(mvc.get().uri("/runs?sort=password").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyText().contains("&#39;password&#39; is not a column to sort by");
        given(projects.get("nope")).willThrow(new NotFoundException("project", "nope"));
        assertThat(mvc.get().uri("/projects/nope").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.NOT_FOUND);
    }

    private static Project project(String id, String slug, String name) {
        Project p = mock(Project.class);
        given(p.getId()).willReturn(id);
        given(p.getSlug()).willReturn(slug);
        given(p.getName()).willReturn(name);
        given(p.getCreatedAt()).willReturn(CREATED);
        return p;
    }

    private static Run entity(String id, java.time.Instant created) {
        Run run = mock(Run.class);
        given(run.getId()).willReturn(id);
        given(run.getCreatedAt()).willReturn(created);
        given(run.getState()).willReturn(RunState.FINISHED);
        return run;
    }

    private static JobSummary summary(String model) {
        return new JobSummary(JobSpec.charLm(model, null, 1), new Progress(1, 1, null));
    }

    private void listing(long total, RunView... page) {
        List<Run> entities = java.util.Arrays.stream(page).map(v -> mock(Run.class)).toList();
        given(search.find(any())).willReturn(new RunPage(entities, 0, 25, total));
        given(views.of(anyCollection())).willReturn(List.of(page));
    }

    private static RunView job(String id, String name, RunState state, double loss, int epoch, int epochs) {
        var job = new JobSummary(JobSpec.seedRnn(epochs, null, null, null), new Progress(epoch, epochs, 65L));
        return new RunView(id, "default", "default", null, null, null, name, RunKind.JOB, state, Map.of(), List.of(), null, CREATED, null, null, null,
                Map.of("loss", loss), job, null, 42, null);
    }
}

package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.shared.NotFoundException;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(controllers = DashboardController.class)
class DashboardControllerTest {

    static final Instant CREATED = Instant.parse("2026-11-26T10:15:30Z");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    RunManagement runs;

    @MockitoBean
    RunViews views;

    @Test
    void homeIsTheRunsList() {
        assertThat(mvc.get().uri("/")).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/runs");
    }

    @Test
    void runNamesAreEscapedNotExecuted() {
        listing(3, job("r1", "<script>alert(1)</script>", RunState.RUNNING, 0.123456, 12, 1000));

        assertThat(mvc.get().uri("/runs")).hasStatusOk().bodyText()
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)")
                .contains("href=\"/runs/r1\"")
                .contains("epoch 12 / 1000")
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
                .contains("href=\"/runs?project=nlp&amp;state=FINISHED&amp;page=0\"")
                .contains("href=\"/runs?project=nlp&amp;state=FINISHED&amp;page=2\"");
        var query = ArgumentCaptor.forClass(RunQuery.class);
        then(runs).should().list(query.capture());
        assertThat(query.getValue()).isEqualTo(new RunQuery("nlp", null, RunState.FINISHED, null, null, null, 1, 25));
    }

    @Test
    void anUnknownStateFilterIsABadRequestPageNotAServerError() {
        assertThat(mvc.get().uri("/runs?state=BOGUS").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
                .bodyText().contains("&#39;BOGUS&#39; is not a valid state");
    }

    @Test
    void runPageCarriesWhatTheLiveScriptNeeds() {
        given(views.of("r1")).willReturn(job("r1", "<b>bold</b>", RunState.RUNNING, 0.2, 3, 100));

        assertThat(mvc.get().uri("/runs/r1")).hasStatusOk().bodyText()
                .contains("<h1>&lt;b&gt;bold&lt;/b&gt;</h1>")
                .contains("data-api=\"/api/v1/runs/r1\"")
                .contains("data-last-event-id=\"42\"")
                .contains("data-state=\"RUNNING\"")
                .contains("epoch 3 of 100")
                .contains("ETA 1m 5s")
                // the resource chain pins the version-less webjar link to the version on the classpath
                .containsPattern("<script src=\"/webjars/chart.js/[0-9.]+/dist/chart.umd.js\"></script>")
                // a seed-rnn job can generate, but only once it has finished
                .containsPattern("<section id=\"generate\" class=\"generate\" hidden");
    }

    @Test
    void failedRunShowsItsError() {
        RunView failed = job("r1", "x", RunState.FAILED, Double.NaN, 3, 100);
        failed = new RunView(failed.id(), failed.project(), failed.group(), failed.name(), failed.kind(), failed.state(), failed.config(),
                failed.tags(), failed.notes(), failed.createdAt(), null, null, null, failed.summary(), failed.job(),
                "loss became <NaN>", 7);
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

    private void listing(long total, RunView... page) {
        List<Run> entities = java.util.Arrays.stream(page).map(v -> mock(Run.class)).toList();
        given(runs.list(any())).willReturn(new RunPage(entities, 0, 25, total));
        given(views.of(anyCollection())).willReturn(List.of(page));
    }

    private static RunView job(String id, String name, RunState state, double loss, int epoch, int epochs) {
        var progress = new LinkedHashMap<String, Object>();
        progress.put("epoch", epoch);
        progress.put("epochs", epochs);
        progress.put("etaSeconds", 65L);
        var job = new LinkedHashMap<String, Object>();
        job.put("model", "seed-rnn");
        job.put("dataset", "seed-sentence");
        job.put("epochs", epochs);
        job.put("progress", progress);
        return new RunView(id, "default", null, name, RunKind.JOB, state, Map.of(), List.of(), null, CREATED, null, null, null,
                Map.of("loss", loss), job, null, 42);
    }
}

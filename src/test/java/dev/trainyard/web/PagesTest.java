package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.trainyard.datasets.Dataset;
import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.sweeps.Sweep;
import dev.trainyard.sweeps.SweepManagement;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.JobSummary;
import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.RunView;
import dev.trainyard.training.JobSpec;
import dev.trainyard.tracking.RunViews;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The compare, sweep and datasets pages as the server renders them; their scripts are tested in a browser. */
@WebMvcTest(controllers = {CompareController.class, SweepPageController.class, DatasetPageController.class, ParamsController.class})
class PagesTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    RunViews views;

    @MockitoBean
    DatasetStore datasets;

    @MockitoBean
    SweepManagement sweeps;

    @Test
    void everyPageLinksTheFaviconThatIsServed() {
        given(views.of("a")).willReturn(run("a", "a", "lstm", Map.of("loss", 1.0)));
        assertThat(mvc.get().uri("/compare?runs=a")).hasStatusOk().bodyText().contains("<link rel=\"icon\" href=\"/favicon.ico\">");
        assertThat(mvc.get().uri("/favicon.ico")).hasStatusOk().body().satisfies(ico ->
                assertThat(java.util.Arrays.copyOf(ico, 4)).as("an ICO header").containsExactly(0, 0, 1, 0));
    }

    @Test
    void compareNamesEachRunWithItsModelAndColourAndEscapesWhatUsersWrote() {
        given(views.of("a")).willReturn(run("a", "<script>alert(1)</script>", "lstm", Map.of("loss", 1.0, "accuracy", 0.5)));
        given(views.of("b")).willReturn(run("b", "b\"'", "gru", Map.of("loss", 2.0, "zeta", 1.0)));
        given(views.of("gone")).willThrow(new NotFoundException("run", "gone"));

        assertThat(mvc.get().uri("/compare?runs=a,b,gone")).hasStatusOk().bodyText()
                .doesNotContain("<script>alert(1)")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("data-color=\"#4e79a7\"").contains("data-color=\"#f28e2b\"")
                .contains("data-live-projects=\"default\"")
                // the JSON for compare.js sits in an attribute, escaped, with the keys loss and accuracy first
                .contains("&quot;keys&quot;:[&quot;loss&quot;,&quot;accuracy&quot;,&quot;zeta&quot;]")
                .contains("Not found (deleted?): gone")
                .containsPattern("<script src=\"/webjars/chartjs-plugin-zoom/[0-9.]+/dist/chartjs-plugin-zoom.min.js\"></script>")
                .containsPattern("<script src=\"/webjars/hammerjs/[0-9.]+/hammer.min.js\"></script>");
    }

    @Test
    void theTablesRepeatedCheckboxesWorkAsWellAsACommaList() {
        given(views.of("a")).willReturn(run("a", "first", "rnn", Map.of()));
        given(views.of("b")).willReturn(run("b", "second", "gru", Map.of()));

        assertThat(mvc.get().uri("/compare?runs=a&runs=b")).hasStatusOk().bodyText()
                .contains("first").contains("second").contains("have not logged any metrics yet");
    }

    @Test
    void compareWithNothingSelectedSaysHowToSelectAndTooManyIsABadRequest() {
        assertThat(mvc.get().uri("/compare")).hasStatusOk().bodyText().contains("Nothing to compare yet");
        String many = String.join(",", java.util.stream.IntStream.range(0, 51).mapToObj(i -> "r" + i).toList());
        assertThat(mvc.get().uri("/compare?runs=" + many).accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void theConfigDifferenceTableListsOnlyTheKeysThatDifferAndHighlightsTheOddValues() {
        given(views.of("a")).willReturn(run("a", "first", "lstm", Map.of("loss", 1.0), Map.of("lr", 0.01, "seed", 1, "hidden", 64)));
        given(views.of("b")).willReturn(run("b", "second", "lstm", Map.of("loss", 2.0), Map.of("lr", 0.01, "seed", 2, "hidden", 64)));
        given(views.of("c")).willReturn(run("c", "third", "gru", Map.of("loss", 3.0), Map.of("lr", 0.1, "seed", 3, "hidden", 64.0)));

        assertThat(mvc.get().uri("/compare?runs=a,b,c")).hasStatusOk().bodyText()
                .contains("id=\"config-diff-table\"")
                // hidden is 64 everywhere (64 and 64.0 alike): not a column; model, lr and seed are
                .contains("<th scope=\"col\">lr</th>", "<th scope=\"col\">seed</th>", "<th scope=\"col\">model</th>")
                .doesNotContain("<th scope=\"col\">hidden</th>")
                .contains("3 of 4 keys differ")
                // lr 0.1 and model gru are off the most common value; each seed is its own
                .containsPattern("<td class=\"differs\">0.1</td>")
                .containsPattern("<td class=\"differs\">gru</td>")
                .containsPattern("<td>0.01</td>");
    }

    @Test
    void eachRunCanBeRemovedAndMoreAddedFromThePage() {
        given(views.of("a")).willReturn(run("a", "first", "rnn", Map.of()));
        given(views.of("b")).willReturn(run("b", "second", "gru", Map.of()));

        assertThat(mvc.get().uri("/compare?runs=a,b")).hasStatusOk().bodyText()
                // removing a leaves b, and the other way round
                .contains("href=\"/compare?runs=b\"").contains("href=\"/compare?runs=a\"")
                // the add form carries the runs already here, and one more field of the same name
                .contains("<input type=\"hidden\" name=\"runs\" value=\"a\">")
                .contains("<input type=\"hidden\" name=\"runs\" value=\"b\">")
                .contains("id=\"add-run\" name=\"runs\"")
                .contains("id=\"add-run\"");
        // one run has nothing to differ from
        assertThat(mvc.get().uri("/compare?runs=a")).hasStatusOk().bodyText().contains("One run: add runs")
                .doesNotContain("config-diff-table");
    }

    @Test
    void fortyRunsGetFortyDistinctColours() {
        assertThat(CompareController.PALETTE).hasSize(40).doesNotHaveDuplicates()
                .allSatisfy(c -> assertThat(c).matches("#[0-9a-f]{6}"));
    }

    @Test
    void theParallelCoordinatesPageReadsTheSweepsRunsFromTheApiAndEchartsFromItsWebjar() {
        assertThat(mvc.get().uri("/params?group=s 1")).hasStatusOk().bodyText()
                .contains("data-api=\"/api/v1/runs?group=s%201\"").contains("data-source=\"api\"")
                .containsPattern("<script src=\"/webjars/echarts/[0-9.]+/dist/echarts.min.js\"></script>");
        assertThat(mvc.get().uri("/params")).hasStatusOk().bodyText().contains("Pick what to plot").doesNotContain("id=\"parallel\"");
        assertThat(mvc.get().uri("/webjars/echarts/dist/echarts.min.js")).hasStatusOk();
    }

    @Test
    void theZoomPluginAndHammerAreServedFromWebjars() {
        assertThat(mvc.get().uri("/webjars/chartjs-plugin-zoom/dist/chartjs-plugin-zoom.min.js")).hasStatusOk();
        assertThat(mvc.get().uri("/webjars/hammerjs/hammer.min.js")).hasStatusOk();
    }

    @Test
    void sweepPageCarriesTheApiAddressEncoded() {
        assertThat(mvc.get().uri("/sweeps/s1")).hasStatusOk().bodyText().contains("data-api=\"/api/v1/sweeps/s1\"");
    }

    @Test
    void theSweepsListNamesEachSweepsModelsLengthsAndStatesAndLinksToItAndItsRuns() {
        given(sweeps.list(null, 200)).willReturn(List.of(new Sweep.Summary("s1", "horizon", "<b>h</b>", Instant.EPOCH,
                List.of("rnn", "gru", "lstm"), List.of(4, 8, 16), 9, Map.of("FINISHED", 7L, "RUNNING", 2L))));

        assertThat(mvc.get().uri("/sweeps")).hasStatusOk().bodyText()
                .contains("href=\"/sweeps/s1\"").contains("&lt;b&gt;h&lt;/b&gt;").doesNotContain("<b>h</b>")
                .contains("rnn, gru, lstm").contains("4, 8, 16").contains("href=\"/runs?group=s1\"").contains("9 runs")
                .contains("7 finished").contains("2 running").contains("href=\"/projects/horizon\"");
        given(sweeps.list("horizon", 200)).willReturn(List.of());
        assertThat(mvc.get().uri("/sweeps?project=horizon")).hasStatusOk().bodyText().contains("No sweeps yet");
    }

    @Test
    void datasetsAreListedEscapedWithALinkToTrainOnThem() {
        given(datasets.all()).willReturn(List.of(new Dataset("d1", "<img src=x onerror=alert(1)>", 2048, 2000, "abc", Instant.EPOCH, null)));

        assertThat(mvc.get().uri("/datasets")).hasStatusOk().bodyText()
                .contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x")
                .contains("2,048")
                .contains("href=\"/launch?model=lstm&amp;dataset=dataset:d1\"")
                .contains("id=\"upload-form\"");
    }

    @Test
    void noDatasetsSaysWhatToDo() {
        given(datasets.all()).willReturn(List.of());
        assertThat(mvc.get().uri("/datasets")).hasStatusOk().bodyText().contains("No datasets yet");
    }

    private static RunView run(String id, String name, String model, Map<String, Double> summary) {
        return run(id, name, model, summary, Map.of());
    }

    private static RunView run(String id, String name, String model, Map<String, Double> summary, Map<String, Object> config) {
        var job = new JobSummary(JobSpec.charLm(model, null, null), new Progress(0, 1, null));
        return new RunView(id, "default", "default", null, null, null, name, RunKind.JOB, RunState.RUNNING, config, List.of(), null, Instant.EPOCH,
                null, null, null, summary, job, null, 0, null);
    }
}

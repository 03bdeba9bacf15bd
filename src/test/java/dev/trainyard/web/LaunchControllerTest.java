package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.trainyard.datasets.Dataset;
import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunManagement;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

@WebMvcTest(controllers = LaunchController.class)
class LaunchControllerTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    RunManagement runs;

    @MockitoBean
    DatasetStore datasets;

    @MockitoBean
    TransactionTemplate transaction;

    @Test
    void formStartsWithTheSeedTutorialsDefaults() {
        String page = page(mvc.get().uri("/launch").exchange());

        assertThat(value(page, "hidden")).isEqualTo("35");
        assertThat(value(page, "learningRate")).isEqualTo("0.01");
        assertThat(value(page, "steps")).isEqualTo("1000");
        assertThat(value(page, "project")).isEqualTo("default");
    }

    @Test
    void outOfRangeAndUnparsableValuesAreShownNextToTheirFieldsWithWhatWasTyped() {
        MvcTestResult result = mvc.post().uri("/launch")
                .param("project", "nlp").param("name", "my run")
                .param("hidden", "0").param("steps", "abc").param("learningRate", "-1")
                .exchange();

        assertThat(result).hasStatusOk().hasViewName("launch");
        String page = page(result);
        assertThat(fieldError(page, "hidden")).isEqualTo("must be greater than or equal to 1");
        assertThat(fieldError(page, "steps")).isEqualTo("must be a whole number");
        assertThat(fieldError(page, "learningRate")).isEqualTo("must be greater than 0");
        assertThat(fieldError(page, "project")).isNull();
        assertThat(value(page, "hidden")).isEqualTo("0");
        assertThat(value(page, "steps")).isEqualTo("abc");
        assertThat(value(page, "learningRate")).isEqualTo("-1.0"); // parsed, so shown as a Double
        assertThat(value(page, "project")).isEqualTo("nlp");
        assertThat(value(page, "name")).isEqualTo("my run");
        then(runs).should(never()).create(any());
    }

    @Test
    void upperBoundsComeFromTheJobSpec() {
        String page = page(mvc.post().uri("/launch").param("project", "default")
                .param("hidden", "1025").param("steps", "100001").param("learningRate", "10.5").exchange());

        assertThat(fieldError(page, "hidden")).isEqualTo("must be less than or equal to 1024");
        assertThat(fieldError(page, "steps")).isEqualTo("must be less than or equal to 100000");
        assertThat(fieldError(page, "learningRate")).isEqualTo("must be less than or equal to 10");
    }

    @Test
    void blankProjectAndUnparsableNumbersAreFieldErrorsButABlankNumberIsTheDefault() {
        String page = page(mvc.post().uri("/launch").param("project", " ")
                .param("hidden", "").param("steps", "12").param("learningRate", "x1").exchange());

        assertThat(fieldError(page, "project")).isNotNull();
        assertThat(fieldError(page, "hidden")).isNull();
        assertThat(fieldError(page, "learningRate")).isEqualTo("must be a number");
        assertThat(fieldError(page, "steps")).isNull();
    }

    @Test
    void theFormOffersEveryModelDatasetAndHyperParameterWithTheSpecsRangesAndDefaults() {
        given(datasets.all()).willReturn(List.of(new Dataset("abc123", "<b>poems</b>", 10, 10, "ab", Instant.EPOCH, null)));

        String page = page(mvc.get().uri("/launch?project=nlp").exchange());

        for (String model : List.of("seed-rnn", "rnn", "gru", "lstm")) {
            assertThat(page).contains("<option value=\"" + model + "\"");
        }
        assertThat(page).contains("<option value=\"seed-sentence\" selected=\"selected\">seed-sentence</option>")
                .contains("<option value=\"builtin:tales\">builtin:tales</option>")
                .contains("<option value=\"memorize\">")
                .contains("<option value=\"dataset:abc123\" data-uploaded>&lt;b&gt;poems&lt;/b&gt; (abc123)</option>")
                .contains("1–1,024; default 35 (seed-rnn), 100 (others)")
                .contains("1–4; default 1; not for seed-rnn")
                .contains("&gt; 0 and ≤ 10; default 0.01 (seed-rnn), 0.002 (others)")
                .contains("&gt; 0 and ≤ 1,000; default off")
                .contains("Compare RNN / GRU / LSTM");
        for (String field : List.of("steps", "hidden", "layers", "embedding", "learningRate", "optimizer", "loss",
                "sequenceLength", "batchSize", "seed", "clipGradient", "sampleEvery", "memorizeLength")) {
            assertThat(page).contains("name=\"" + field + "\"");
        }
        assertThat(value(page, "project")).isEqualTo("nlp");
        assertThat(value(page, "layers")).isEmpty(); // seed-rnn does not take it
    }

    @Test
    void aMemorizeDatasetNeedsALengthInTheSpecsRange() {
        String page = page(mvc.post().uri("/launch").param("project", "p").param("model", "lstm")
                .param("dataset", "memorize").param("memorizeLength", "5000").exchange());
        assertThat(fieldError(page, "memorizeLength")).isEqualTo("memorize:&lt;length&gt; takes a length from 1 to 4096");

        page = page(mvc.post().uri("/launch").param("project", "p").param("model", "lstm").param("dataset", "memorize").exchange());
        assertThat(fieldError(page, "memorizeLength")).isEqualTo("enter a length, 1–4,096");
        then(runs).should(never()).create(any());
    }

    @Test
    void seedRnnOnATextDatasetIsShownAtTheDataset() {
        String page = page(mvc.post().uri("/launch").param("project", "p").param("model", "seed-rnn")
                .param("dataset", "builtin:tales").exchange());
        assertThat(fieldError(page, "dataset")).startsWith("seed-rnn is the tutorial");
    }

    @Test
    void compareLaunchesRnnGruAndLstmWithTheSameSettingsAndOpensTheCompareView() {
        given(transaction.execute(any())).willAnswer(call -> ((TransactionCallback<?>) call.getArgument(0)).doInTransaction(null));
        var ids = new java.util.concurrent.atomic.AtomicInteger();
        given(runs.create(any())).willAnswer(call -> {
            Run run = mock(Run.class);
            given(run.getId()).willReturn("r" + ids.incrementAndGet());
            return run;
        });

        MvcTestResult result = mvc.post().uri("/launch").param("compare", "1").param("project", "nlp").param("name", "cmp")
                .param("model", "seed-rnn").param("dataset", "memorize").param("memorizeLength", "16")
                .param("steps", "30").param("hidden", "64").param("learningRate", "0.01").exchange();

        assertThat(result).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/compare?runs=r1,r2,r3");
        var request = ArgumentCaptor.forClass(NewRun.class);
        then(runs).should(org.mockito.Mockito.times(3)).create(request.capture());
        assertThat(request.getAllValues()).extracting(r -> r.job().model()).containsExactly("rnn", "gru", "lstm");
        assertThat(request.getAllValues()).extracting(NewRun::name).containsExactly("cmp (rnn)", "cmp (gru)", "cmp (lstm)");
        assertThat(request.getAllValues()).allSatisfy(r -> {
            assertThat(r.job().dataset()).isEqualTo("memorize:16");
            assertThat(r.job().steps()).isEqualTo(30);
            assertThat(r.job().hidden()).isEqualTo(64);
        });
    }

    @Test
    void validLaunchQueuesASeedRnnJobAndRedirectsToItsPage() {
        Run run = mock(Run.class);
        given(run.getId()).willReturn("r1");
        given(runs.create(any())).willReturn(run);

        MvcTestResult result = mvc.post().uri("/launch").param("project", "nlp").param("name", "")
                .param("hidden", "64").param("steps", "200").param("learningRate", "0.005").exchange();

        assertThat(result).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/runs/r1");
        var request = ArgumentCaptor.forClass(NewRun.class);
        then(runs).should().create(request.capture());
        assertThat(request.getValue().project()).isEqualTo("nlp");
        assertThat(request.getValue().job().model()).isEqualTo("seed-rnn");
        assertThat(request.getValue().job().withDefaults().dataset()).isEqualTo("seed-sentence");
        assertThat(request.getValue().job().hidden()).isEqualTo(64);
        assertThat(request.getValue().job().steps()).isEqualTo(200);
        assertThat(request.getValue().job().learningRate()).isEqualTo(0.005);
    }

    @Test
    void epochsTheOldNameOfStepsIsStillAcceptedAndItsErrorsAreShownAtStepsNamingIt() {
        Run run = mock(Run.class);
        given(run.getId()).willReturn("r1");
        given(runs.create(any())).willReturn(run);

        mvc.post().uri("/launch").param("project", "nlp").param("epochs", "250").exchange();

        var request = ArgumentCaptor.forClass(NewRun.class);
        then(runs).should().create(request.capture());
        assertThat(request.getValue().job().steps()).isEqualTo(250);

        String page = page(mvc.post().uri("/launch").param("project", "nlp").param("epochs", "abc").exchange());
        assertThat(fieldError(page, "steps")).isEqualTo("epochs (the old name of steps) must be a whole number");
    }

    @Test
    void theFormSaysWhatAStepIs() {
        String page = page(mvc.get().uri("/launch").exchange());

        assertThat(page).contains("<label for=\"steps\">Steps</label>").contains("id=\"step-meaning\"")
                .contains("1000 steps = the tutorial&#39;s 1000 epochs, passes over the sentence")
                .contains("<label for=\"horizon-steps\">Steps</label>").doesNotContain(">Epochs<");
    }

    @Test
    void aProjectTheServiceRejectsIsShownAtTheProjectField() {
        given(runs.create(any())).willThrow(new BadRequestException("name", "must contain at least one letter or digit"));

        String page = page(mvc.post().uri("/launch").param("project", "ok")
                .param("hidden", "35").param("steps", "10").param("learningRate", "0.01").exchange());

        assertThat(fieldError(page, "project")).isEqualTo("must contain at least one letter or digit");
    }

    @Test
    void aJobOverTheWorkLimitIsShownAtSteps() {
        given(runs.create(any())).willThrow(new BadRequestException("job", "the job would book too much work (trainyard.jobs.max-work)"));

        String page = page(mvc.post().uri("/launch").param("project", "ok")
                .param("hidden", "35").param("steps", "100000").param("learningRate", "0.01").exchange());

        assertThat(fieldError(page, "steps")).isEqualTo("the job would book too much work (trainyard.jobs.max-work)");
    }

    private static String page(MvcTestResult result) {
        assertThat(result).hasStatusOk();
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    // No HTML parser on the test classpath; the form's markup is ours, so a row is one <div class="field" ...>.
    private static String row(String page, String field) {
        for (String row : page.split("<div class=\"field\"")) {
            if (row.contains("name=\"" + field + "\"")) {
                return row.substring(0, row.indexOf("</div>"));
            }
        }
        throw new AssertionError("no form row for " + field);
    }

    /** The error message rendered in the same form row as the named input, or null. */
    private static String fieldError(String page, String field) {
        Matcher error = Pattern.compile("<span class=\"field-error\">([^<]*)</span>").matcher(row(page, field));
        return error.find() ? error.group(1) : null;
    }

    private static String value(String page, String field) {
        Matcher value = Pattern.compile("<input [^>]*name=\"" + field + "\"[^>]*value=\"([^\"]*)\"").matcher(row(page, field));
        return value.find() ? value.group(1) : null;
    }
}

package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.trainyard.shared.BadRequestException;
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

@WebMvcTest(controllers = LaunchController.class)
class LaunchControllerTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    RunManagement runs;

    @Test
    void formStartsWithTheSeedTutorialsDefaults() {
        String page = page(mvc.get().uri("/launch").exchange());

        assertThat(value(page, "hidden")).isEqualTo("35");
        assertThat(value(page, "learningRate")).isEqualTo("0.01");
        assertThat(value(page, "epochs")).isEqualTo("1000");
        assertThat(value(page, "project")).isEqualTo("default");
    }

    @Test
    void outOfRangeAndUnparsableValuesAreShownNextToTheirFieldsWithWhatWasTyped() {
        MvcTestResult result = mvc.post().uri("/launch")
                .param("project", "nlp").param("name", "my run")
                .param("hidden", "0").param("epochs", "abc").param("learningRate", "-1")
                .exchange();

        assertThat(result).hasStatusOk().hasViewName("launch");
        String page = page(result);
        assertThat(fieldError(page, "hidden")).isEqualTo("must be greater than or equal to 1");
        assertThat(fieldError(page, "epochs")).isEqualTo("must be a whole number");
        assertThat(fieldError(page, "learningRate")).isEqualTo("must be greater than 0");
        assertThat(fieldError(page, "project")).isNull();
        assertThat(value(page, "hidden")).isEqualTo("0");
        assertThat(value(page, "epochs")).isEqualTo("abc");
        assertThat(value(page, "learningRate")).isEqualTo("-1.0"); // parsed, so shown as a Double
        assertThat(value(page, "project")).isEqualTo("nlp");
        assertThat(value(page, "name")).isEqualTo("my run");
        then(runs).should(never()).create(any());
    }

    @Test
    void upperBoundsComeFromTheJobSpec() {
        String page = page(mvc.post().uri("/launch").param("project", "default")
                .param("hidden", "1025").param("epochs", "100001").param("learningRate", "10.5").exchange());

        assertThat(fieldError(page, "hidden")).isEqualTo("must be less than or equal to 1024");
        assertThat(fieldError(page, "epochs")).isEqualTo("must be less than or equal to 100000");
        assertThat(fieldError(page, "learningRate")).isEqualTo("must be less than or equal to 10");
    }

    @Test
    void blankProjectAndMissingNumbersAreFieldErrors() {
        String page = page(mvc.post().uri("/launch").param("project", " ")
                .param("hidden", "").param("epochs", "12").param("learningRate", "x1").exchange());

        assertThat(fieldError(page, "project")).isNotNull();
        assertThat(fieldError(page, "hidden")).isEqualTo("must not be null");
        assertThat(fieldError(page, "learningRate")).isEqualTo("must be a number");
        assertThat(fieldError(page, "epochs")).isNull();
    }

    @Test
    void validLaunchQueuesASeedRnnJobAndRedirectsToItsPage() {
        Run run = mock(Run.class);
        given(run.getId()).willReturn("r1");
        given(runs.create(any())).willReturn(run);

        MvcTestResult result = mvc.post().uri("/launch").param("project", "nlp").param("name", "")
                .param("hidden", "64").param("epochs", "200").param("learningRate", "0.005").exchange();

        assertThat(result).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/runs/r1");
        var request = ArgumentCaptor.forClass(NewRun.class);
        then(runs).should().create(request.capture());
        assertThat(request.getValue().project()).isEqualTo("nlp");
        assertThat(request.getValue().job().model()).isEqualTo("seed-rnn");
        assertThat(request.getValue().job().dataset()).isEqualTo("seed-sentence");
        assertThat(request.getValue().job().hidden()).isEqualTo(64);
        assertThat(request.getValue().job().epochs()).isEqualTo(200);
        assertThat(request.getValue().job().learningRate()).isEqualTo(0.005);
    }

    @Test
    void aProjectTheServiceRejectsIsShownAtTheProjectField() {
        given(runs.create(any())).willThrow(new BadRequestException("name", "must contain at least one letter or digit"));

        String page = page(mvc.post().uri("/launch").param("project", "ok")
                .param("hidden", "35").param("epochs", "10").param("learningRate", "0.01").exchange());

        assertThat(fieldError(page, "project")).isEqualTo("must contain at least one letter or digit");
    }

    private static String page(MvcTestResult result) {
        assertThat(result).hasStatusOk();
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    // No HTML parser on the test classpath; the form's markup is ours, so a row is one <div class="field">.
    private static String row(String page, String field) {
        for (String row : page.split("<div class=\"field\">")) {
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

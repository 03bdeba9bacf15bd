package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The README's shell examples, taken from README.md as a reader copies them and run with bash,
 * top to bottom, against a started server: every line runs (a stream that never ended would
 * leave the next line waiting for ever), and each does what the README says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeBlocksTest {

    @LocalServerPort
    int port;

    @Test
    void thePlainHttpBlockCreatesARunLogsItsTwoPointsAndFinishesIt() throws Exception {
        var run = bash(block("**Plain HTTP**"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        var api = new Api(port);
        JsonNode runs = api.get("/api/v1/runs?project=my-project").json();
        JsonNode baseline = null;
        for (JsonNode r : runs.get("content")) {
            if (r.get("name").asString().equals("baseline")) {
                baseline = r;
            }
        }
        assertThat(baseline).as("the block's run, in " + runs).isNotNull();
        assertThat(baseline.get("state").asString()).isEqualTo("FINISHED");
        JsonNode loss = api.get("/api/v1/runs/" + baseline.get("id").asString() + "/metrics/loss").json();
        assertThat(loss.get("total").asLong()).as("0.93, then NaN").isEqualTo(2);
    }

    @Test
    void theSeedExperimentStreamsUntilTheJobEndsAndThenGeneratesTheSentence() throws Exception {
        var run = bash(block("### The seed experiment"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).as("the stream ran to the job's end").contains("event:state").contains("FINISHED");
        assertThat(run.output()).as("and the line after it ran").contains("{\"text\":\"hello pytorch. how long can a rnn cell remember?\"}");
    }

    /** The first bash block after the line that starts with {@code heading}, pointed at this test's server. */
    private String block(String heading) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("\n" + heading);
        assertThat(at).as("README has " + heading).isPositive();
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end).replace("localhost:8080", "localhost:" + port);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result bash(String script) throws Exception {
        Path file = Files.createTempFile("readme-block", ".sh");
        Path out = Files.createTempFile("readme-block", ".out");
        try {
            Files.writeString(file, script);
            // To a file, not a pipe: the stream's output would fill a pipe nobody reads and stall the block.
            var process = new ProcessBuilder("bash", "-eu", "-o", "pipefail", file.toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            // Long enough for the seed job on a loaded machine; a stream that never ends is what this catches.
            boolean ended = process.waitFor(5, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(ended).as("the block ran to its end; output so far:\n" + output).isTrue();
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(out);
        }
    }
}

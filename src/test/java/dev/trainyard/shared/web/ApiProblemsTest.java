package dev.trainyard.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;

import dev.trainyard.support.Api;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every way a request to {@code /api/**} can go wrong, including the ones Spring decides before any
 * controller is chosen (no such path, wrong method, a body type or an answer type it cannot
 * handle), answers application/problem+json with type, title, status and detail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiProblemsTest {

    @LocalServerPort
    int port;

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("unknown path", "GET", "/api/v1/nothing/here", null, null, null, 404),
                Arguments.of("PUT on the sweeps collection", "PUT", "/api/v1/sweeps", "application/json", null, "{}", 405),
                Arguments.of("DELETE on the runs collection", "DELETE", "/api/v1/runs", null, null, null, 405),
                Arguments.of("a body that is not JSON", "POST", "/api/v1/runs", "text/plain", null, "project=x", 415),
                Arguments.of("an XML body", "POST", "/api/v1/projects", "application/xml", null, "<project/>", 415),
                Arguments.of("an answer type the API cannot write", "GET", "/api/v1/runs", null, "application/xml", null, 406),
                // refused while the endpoint is chosen (it produces only text/event-stream), before any controller advice
                Arguments.of("an answer type the event stream does not write", "GET", "/api/v1/runs/x/events", null, "application/xml",
                        null, 406),
                Arguments.of("a bad value for the event stream's until", "GET", "/api/v1/runs/x/events?until=never", null, null, null,
                        400),
                Arguments.of("malformed JSON", "POST", "/api/v1/runs", "application/json", null, "{\"project\": ", 400),
                Arguments.of("a parameter of the wrong type", "GET", "/api/v1/runs?size=many", null, null, null, 400),
                Arguments.of("a query parameter of the wrong type on a sub-resource", "GET", "/api/v1/runs/x/metrics/loss?maxPoints=lots", null, null, null,
                        400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void isAProblem(String why, String method, String path, String contentType, String accept, String body, int status)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(why).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(why).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JsonMapper.builder().build().readTree(response.body());
        why = why + ": " + response.body();
        assertThat(problem.has("type")).as(why).isTrue();
        assertThat(problem.get("status").asInt()).as(why).isEqualTo(status);
        assertThat(problem.get("type").asString()).as(why).startsWith("urn:trainyard:problem:");
        assertThat(problem.get("title").asString()).as(why).isNotBlank();
        assertThat(problem.get("detail").asString()).as(why).isNotBlank();
        assertThat(problem.has("error")).as(why + ": not Boot's default error body").isFalse();
    }
}

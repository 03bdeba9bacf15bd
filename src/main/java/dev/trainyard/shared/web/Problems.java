package dev.trainyard.shared.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problems as the API writes them, from controllers and from filters alike. */
public final class Problems {

    public static final String TYPE = "urn:trainyard:problem:";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String type, String detail, String instance) {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE + type));
        problem.setInstance(URI.create(instance));
        return problem;
    }

    /** For filters, which answer before any controller advice could. */
    public static void write(HttpServletResponse response, ProblemDetail problem, JsonMapper json) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(json.writeValueAsString(problem));
    }
}

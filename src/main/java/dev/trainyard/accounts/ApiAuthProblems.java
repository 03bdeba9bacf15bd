package dev.trainyard.accounts;

import java.io.IOException;

import dev.trainyard.shared.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 for the API as problem+json, where the dashboard would redirect to its login page. */
class ApiAuthProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String INVALID_TOKEN = "the API token is unknown or revoked, or its user is disabled";

    private final JsonMapper json;
    private final boolean teamMode;

    ApiAuthProblems(JsonMapper json, boolean teamMode) {
        this.json = json;
        this.teamMode = teamMode;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean badToken = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, badToken
                ? "Bearer realm=\"trainyard\", error=\"invalid_token\"" : "Bearer realm=\"trainyard\"");
        String detail = badToken ? INVALID_TOKEN
                : "sign in, or send a personal API token as 'Authorization: Bearer <token>' (create one at /account/tokens)";
        if (isMlflow(request)) {
            writeMlflow(response, HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", detail);
            return;
        }
        Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", detail, request.getRequestURI()), json);
    }

    /**
     * A 401 for credentials this server refused, saying why. Never a Basic challenge: a browser would
     * prompt, then keep sending what was typed to any page's requests, which CSRF protection would have to catch.
     */
    void unauthenticated(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"trainyard\", error=\"invalid_token\"");
        if (isMlflow(request)) {
            writeMlflow(response, HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", detail);
            return;
        }
        Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", detail, request.getRequestURI()), json);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        String detail = !(e instanceof CsrfException) ? forbidden(request) : teamMode
                ? "missing or invalid CSRF token: calls made with the dashboard's session must send it; scripts should use an API token"
                : "missing or invalid CSRF token: the dashboard's forms and calls must send it (reload the page); "
                        + "scripts that send no cookie need none";
        if (isMlflow(request)) {
            writeMlflow(response, HttpStatus.FORBIDDEN, "PERMISSION_DENIED", detail);
            return;
        }
        Problems.write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", detail, request.getRequestURI()), json);
    }

    /** MLflow's clients read {@code {"error_code", "message"}}, on its API and its artifact proxy alike. */
    static boolean isMlflow(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/2.0/mlflow") || path.startsWith("/ajax-api/2.0/mlflow");
    }

    private void writeMlflow(HttpServletResponse response, HttpStatus status, String code, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType("application/json");
        var body = new java.util.LinkedHashMap<String, String>();
        body.put("error_code", code);
        body.put("message", message);
        json.writeValue(response.getOutputStream(), body);
    }

    /** What the refused request needed, by the same rules as the security configuration: admin paths first, then reads. */
    private static String forbidden(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path.startsWith("/admin/") || path.equals("/admin") || path.startsWith("/actuator")
                || HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod())) {
            return "this needs the admin role";
        }
        return "your role may only read; launching, cancelling, logging and uploading need the member role";
    }
}

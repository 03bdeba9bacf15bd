package dev.trainyard.shared.web;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * An {@code /api/v1} path no controller serves, a method it does not take, or a content type it
 * neither reads nor writes, answered as problem+json like every other API error.
 * {@link ApiExceptionHandler} never sees these: no controller was chosen, so Spring would fall back
 * to Boot's plain JSON error.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnmappedApiPaths implements HandlerExceptionResolver {

    private final JsonMapper json;

    UnmappedApiPaths(JsonMapper json) {
        this.json = json;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/v1/") && !path.equals("/api/v1")) {
            return null;
        }
        try {
            path = java.net.URI.create(path).getRawPath();
        } catch (IllegalArgumentException notAUri) {
            path = "/api/v1"; // the problem's instance must be a URI; the path itself is no use then
        }
        try {
            if (e instanceof NoResourceFoundException) {
                Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "not-found",
                        "no API endpoint at " + path + "; see /swagger-ui.html for the API", path), json);
                return new ModelAndView();
            }
            if (e instanceof HttpRequestMethodNotSupportedException unsupported) {
                Set<String> allowed = unsupported.getSupportedMethods() == null ? Set.of() : Set.of(unsupported.getSupportedMethods());
                if (!allowed.isEmpty()) {
                    response.setHeader("Allow", String.join(", ", allowed));
                }
                Problems.write(response, Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                        path + " does not take " + request.getMethod() + (allowed.isEmpty() ? "" : "; it takes " + String.join(", ", allowed)),
                        path), json);
                return new ModelAndView();
            }
            // A body type no endpoint here reads (415) or an answer type none writes (406) is found
            // while choosing the endpoint, so no controller advice of ours sees it either.
            if (handler == null && e instanceof ErrorResponse spring) {
                HttpStatus status = HttpStatus.resolve(spring.getStatusCode().value());
                if (status != null && status.is4xxClientError()) {
                    spring.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
                    String detail = spring.getBody().getDetail();
                    Problems.write(response, Problems.of(status, status.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                            detail == null ? status.getReasonPhrase() : detail, path), json);
                    return new ModelAndView();
                }
            }
        } catch (IOException written) {
            return null;
        }
        return null;
    }
}

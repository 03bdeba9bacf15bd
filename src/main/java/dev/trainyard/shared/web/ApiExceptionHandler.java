package dev.trainyard.shared.web;

import dev.trainyard.shared.db.Database;
import dev.trainyard.shared.db.DiskFull;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every API error as RFC 9457 problem+json: {@code type, title, status, detail, instance}, plus
 * {@code errors: [{field, message}]} for validation. Nothing a client sends may surface as a 500.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    record FieldProblem(String field, String message) {
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e, HttpServletRequest request) {
        return problem(HttpStatus.NOT_FOUND, "not-found", e.getMessage(), request);
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e, HttpServletRequest request) {
        return problem(HttpStatus.CONFLICT, "conflict", e.getMessage(), request);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ProblemDetail concurrentChange(OptimisticLockingFailureException e, HttpServletRequest request) {
        return problem(HttpStatus.CONFLICT, "concurrent-change",
                "the run was changed by someone else at the same time; read it again and retry", request);
    }

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e, HttpServletRequest request) {
        var problem = problem(HttpStatus.BAD_REQUEST, "validation", e.getMessage(), request);
        problem.setProperty("errors", List.of(new FieldProblem(e.field(), e.getMessage())));
        return problem;
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ProblemDetail tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMessage(), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String message = "'" + e.getValue() + "' is not a valid " + e.getName();
        var problem = problem(HttpStatus.BAD_REQUEST, "validation", message, request);
        problem.setProperty("errors", List.of(new FieldProblem(e.getName(), message)));
        return problem;
    }

    @ExceptionHandler(QuotaExceededException.class)
    ProblemDetail quota(QuotaExceededException e, HttpServletRequest request) {
        var problem = problem(HttpStatus.TOO_MANY_REQUESTS, "quota", e.getMessage(), request);
        problem.setProperty("limit", e.limit());
        return problem;
    }

    @ExceptionHandler(ServiceUnavailableException.class)
    ProblemDetail busy(ServiceUnavailableException e, HttpServletRequest request) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", e.getMessage(), request);
    }

    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
            PessimisticLockingFailureException.class})
    ProblemDetail unavailable(Exception e, HttpServletRequest request) {
        if (DiskFull.reason(e) != null) {
            return diskFull(e, request);
        }
        log.warn("Database unavailable for {}: {}", request.getRequestURI(), e.getMessage());
        var problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                "the store is unavailable or busy; nothing was saved; retry shortly", request);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<FieldProblem>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new FieldProblem(g.getObjectName(), g.getDefaultMessage())));
        return validation(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<FieldProblem>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(new FieldProblem(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return validation(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                        .body(problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", tooLarge.getMessage(), request));
            }
        }
        JacksonException jackson = cause(e, JacksonException.class);
        String field = jackson == null ? null : path(jackson);
        String reason = jackson == null ? null : withoutClassNames(jackson.getOriginalMessage());
        String detail = jackson == null ? "the request body is missing or is not JSON"
                : (field == null || field.isEmpty() ? "malformed JSON: " : "invalid value for '" + field + "': ") + reason;
        var problem = problem(HttpStatus.BAD_REQUEST, field == null || field.isEmpty() ? "malformed" : "validation", detail, request);
        if (field != null && !field.isEmpty()) {
            problem.setProperty("errors", List.of(new FieldProblem(field, reason)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (body == null && e instanceof ErrorResponse spring) {
            // Spring's own errors (415, 406, a missing parameter...) leave the body to be made later; made here, it can be typed.
            body = spring.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
        }
        if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
            problem.setInstance(URI.create(path(request)));
        }
        // Spring's own problems (415, 406, a missing parameter...) come untyped (about:blank), which
        // tells a client nothing; they get a type of ours named after their status.
        if (body instanceof ProblemDetail problem && (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
            HttpStatus known = HttpStatus.resolve(status.value());
            problem.setType(URI.create(Problems.TYPE + (known == null ? "http-" + status.value()
                    : known.name().toLowerCase(Locale.ROOT).replace('_', '-'))));
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    /** The last resort. A bug, not a client's fault, but still answered as problem+json. */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        if (DiskFull.reason(e) != null) {
            return diskFull(e, request);
        }
        if (Database.isUnreachable(e)) {
            return unavailable(e, request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "unexpected error; see the server log", request);
    }

    /** Not the client's fault, and no retry helps until someone frees space: a 507. */
    private static ProblemDetail diskFull(Exception e, HttpServletRequest request) {
        String reason = DiskFull.reason(e);
        log.warn("Disk full for {} {}: {}", request.getMethod(), request.getRequestURI(), reason);
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "insufficient-storage", "the server's disk is full (" + reason
                + "): nothing was saved; free space on the server and retry", request);
    }

    private ResponseEntity<Object> validation(List<FieldProblem> errors, WebRequest request) {
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        var problem = problem(HttpStatus.BAD_REQUEST, "validation", detail, request);
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    /** A Java type named in a parser's message, such as {@code `dev.trainyard.tracking.web.MetricController$PointIn`}. */
    private static final Pattern JAVA_TYPE = Pattern.compile("(?:\\(class )?`?\\b(?:[a-z_]\\w*\\.)+([A-Z]\\w*)(?:\\$\\w+)*(?:<[^<>]*>)?`?\\)?");

    /** Jackson's messages name the server's own classes; the client learns the JSON shape instead. */
    static String withoutClassNames(String message) {
        if (message == null) {
            return "unreadable value";
        }
        return JAVA_TYPE.matcher(message).replaceAll(m -> Matcher.quoteReplacement(shape(m.group(1))));
    }

    private static String shape(String simpleName) {
        return switch (simpleName) {
            case "String", "Character", "CharSequence" -> "text";
            case "Integer", "Long", "Short", "Byte", "BigInteger" -> "integer";
            case "Double", "Float", "BigDecimal", "Number" -> "number";
            case "Boolean" -> "boolean";
            case "List", "ArrayList", "Collection", "Set", "HashSet", "LinkedHashSet", "ArrayNode" -> "list";
            case "Instant", "OffsetDateTime", "ZonedDateTime", "LocalDateTime" -> "ISO-8601 time";
            case "Duration" -> "ISO-8601 duration";
            default -> "object";
        };
    }

    private static String path(JacksonException e) {
        var sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail, HttpServletRequest request) {
        return Problems.of(status, type, detail, request.getRequestURI());
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail, WebRequest request) {
        return Problems.of(status, type, detail, path(request));
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
    }
}

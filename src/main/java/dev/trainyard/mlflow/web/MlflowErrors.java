package dev.trainyard.mlflow.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.trainyard.artifacts.ArtifactTooLargeException;
import dev.trainyard.mlflow.ErrorCode;
import dev.trainyard.mlflow.MlflowException;
import dev.trainyard.shared.db.Database;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.BodyTooLargeException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.shared.web.QuotaExceededException;
import dev.trainyard.shared.web.ServiceUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the MLflow endpoints as MLflow's server gives them: {@code {"error_code", "message"}}
 * with the code's status. Bad input is always a 4xx, because MLflow's clients retry a 5xx five
 * times with backoff. Ordered before the problem+json advice, which keeps the rest of the API.
 */
@RestControllerAdvice(basePackageClasses = MlflowErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class MlflowErrors {

    private static final Logger log = LoggerFactory.getLogger(MlflowErrors.class);

    @ExceptionHandler(MlflowException.class)
    ResponseEntity<Map<String, String>> mlflow(MlflowException e) {
        return error(e.code(), e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
        return error(ErrorCode.RESOURCE_DOES_NOT_EXIST, e.getMessage());
    }

    /** Trainyard's own refusals (a blank name, a job's fixed config, an ending that cannot change). */
    @ExceptionHandler({BadRequestException.class, ConflictException.class})
    ResponseEntity<Map<String, String>> invalid(RuntimeException e) {
        return error(ErrorCode.INVALID_PARAMETER_VALUE, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return error(ErrorCode.INVALID_PARAMETER_VALUE, tooLarge.getMessage());
            }
        }
        return error(ErrorCode.BAD_REQUEST, "The request body could not be read");
    }

    /** An artifact over its size limit: 413, and the connection closed rather than the rest received. */
    @ExceptionHandler(ArtifactTooLargeException.class)
    ResponseEntity<Map<String, String>> tooLarge(ArtifactTooLargeException e) {
        var body = new LinkedHashMap<String, String>();
        body.put("error_code", ErrorCode.REQUEST_LIMIT_EXCEEDED.name());
        body.put("message", e.getMessage());
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @ExceptionHandler(QuotaExceededException.class)
    ResponseEntity<Map<String, String>> quota(QuotaExceededException e) {
        return error(ErrorCode.REQUEST_LIMIT_EXCEEDED, e.getMessage());
    }

    @ExceptionHandler({ServiceUnavailableException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, PessimisticLockingFailureException.class,
            OptimisticLockingFailureException.class})
    ResponseEntity<Map<String, String>> unavailable(Exception e, HttpServletRequest request) {
        log.warn("MLflow call {} could not be served now: {}", request.getRequestURI(), e.getMessage());
        return error(ErrorCode.TEMPORARILY_UNAVAILABLE, "the store is unavailable or busy; nothing was saved; retry shortly");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e, HttpServletRequest request) {
        if (Database.isUnreachable(e)) {
            return unavailable(e, request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(ErrorCode.INTERNAL_ERROR, "unexpected error; see the server log");
    }

    private static ResponseEntity<Map<String, String>> error(ErrorCode code, String message) {
        var body = new LinkedHashMap<String, String>();
        body.put("error_code", code.name());
        body.put("message", message);
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

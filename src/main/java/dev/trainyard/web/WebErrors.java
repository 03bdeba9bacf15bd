package dev.trainyard.web;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.db.Database;
import dev.trainyard.shared.web.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors on the dashboard's pages as HTML. The shared API advice answers everything with
 * problem+json, so this one goes first, but only for the page controllers (all of this package).
 */
@ControllerAdvice(basePackageClasses = WebErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebErrors {

    private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(NotFoundException e, HttpServletRequest request) {
        return page(HttpStatus.NOT_FOUND, e.getMessage(), request);
    }

    @ExceptionHandler({BadRequestException.class, MethodArgumentTypeMismatchException.class})
    ModelAndView badRequest(Exception e, HttpServletRequest request) {
        String message = e instanceof MethodArgumentTypeMismatchException mismatch
                ? "'" + mismatch.getValue() + "' is not a valid " + mismatch.getName()
                : e.getMessage();
        return page(HttpStatus.BAD_REQUEST, message, request);
    }

    /** A form object's field that does not convert, such as {@code ?state=BOGUS} on the runs table. */
    @ExceptionHandler(BindException.class)
    ModelAndView badForm(BindException e, HttpServletRequest request) {
        FieldError field = e.getFieldError();
        String message = field == null ? "the request's parameters are not valid"
                : field.isBindingFailure() ? "'" + field.getRejectedValue() + "' is not a valid " + field.getField()
                : field.getField() + " " + field.getDefaultMessage();
        return page(HttpStatus.BAD_REQUEST, message, request);
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse known) {
            // Spring's own client errors (missing parameter, wrong method...) know their status.
            HttpStatus status = HttpStatus.resolve(known.getStatusCode().value());
            return page(status == null ? HttpStatus.BAD_REQUEST : status, known.getBody().getDetail(), request);
        }
        if (Database.isUnreachable(e)) {
            log.warn("Database unavailable for {}: {}", request.getRequestURI(), e.getMessage());
            return page(HttpStatus.SERVICE_UNAVAILABLE, "The database is out of reach; try again shortly.", request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on the server; see its log.", request);
    }

    /** The model mirrors Boot's error attributes, so error.html also serves Boot's own error page. */
    private static ModelAndView page(HttpStatus status, String message, HttpServletRequest request) {
        var page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("error", status.getReasonPhrase());
        page.addObject("message", message);
        page.addObject("path", request.getRequestURI());
        return page;
    }
}

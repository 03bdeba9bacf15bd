package dev.trainyard.shared.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * What Tomcat answers by itself, before any servlet (a NUL in the path, a header too large):
 * problem+json like every other error, instead of its HTML page. Public: Tomcat makes it by name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        var ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String detail = switch (status) {
            case 400 -> "the request is malformed: its address or headers could not be read (a NUL or other forbidden "
                    + "character in the path, or headers over the size limit)";
            case 413 -> "the request is larger than the server accepts";
            case 414 -> "the request's address is too long";
            case 431 -> "the request's headers are too large";
            default -> "the server could not handle this request";
        };
        // No class names, no stack trace, no echo of the request: it may be what was malformed.
        String body = "{\"type\":\"" + Problems.TYPE + "malformed-request\",\"title\":\"" + title(status) + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response committed: nothing more to say
        }
    }

    private static String title(int status) {
        var known = org.springframework.http.HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}

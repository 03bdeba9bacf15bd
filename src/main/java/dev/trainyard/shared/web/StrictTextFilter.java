package dev.trainyard.shared.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostgreSQL cannot store a NUL character in text (it fails the statement: a 500) and silently
 * turns a lone UTF-16 surrogate into '?', where H2 keeps both. So neither may enter, on either
 * database: a query or form parameter, or a string or key anywhere in a JSON body, holding one is a
 * 400 naming it. JSON bodies are scanned only when their bytes hold a {@code \\u} escape, the only way
 * valid JSON can carry either, so ordinary requests pay one pass over the bytes.
 */
class StrictTextFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    StrictTextFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())
                && !concrete(contentType)) {
            // Spring's converters fail on these with a 500 deep inside; the client only sent a vague header.
            var problem = Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "the Content-Type must name one type, such as application/json; a wildcard or a malformed type names none",
                    request.getRequestURI());
            Problems.write(response, problem, json);
            return;
        }
        Map<String, String[]> parameters = parametersOrRefusal(request, response, json);
        if (parameters == null) {
            return;
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String problem = StoredText.flaw(parameter.getKey());
            for (String value : parameter.getValue()) {
                problem = problem != null ? problem : StoredText.flaw(value);
            }
            if (problem != null) {
                refuse(request, response, parameter.getKey(), problem);
                return;
            }
        }
        if (!isJson(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (BodyTooLargeException e) {
            response.setHeader("Connection", "close");
            Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMessage(),
                    request.getRequestURI()), json);
            return;
        }
        if (hasEscape(body)) {
            String[] found = scan(body);
            if (found != null) {
                refuse(request, response, found[0], found[1]);
                return;
            }
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    /**
     * The request's parameters, or null once it has been answered because Tomcat could not read them:
     * a form over its size limit, or a NUL in an upload's file name. Those are the client's doing, so
     * they get a problem and no ERROR with a stack trace in the log.
     */
    static Map<String, String[]> parametersOrRefusal(HttpServletRequest request, HttpServletResponse response, JsonMapper json)
            throws IOException {
        try {
            return request.getParameterMap();
        } catch (RuntimeException e) {
            var invalid = cause(e, InvalidParameterException.class);
            if (invalid != null) {
                // A form over Tomcat's size limit or unparsable: the client's doing, so no ERROR and no stack trace.
                int status = invalid.getErrorCode() == 413 ? 413 : 400;
                response.setHeader("Connection", "close");
                Problems.write(response, Problems.of(HttpStatus.valueOf(status), status == 413 ? "body-too-large" : "malformed",
                        status == 413 ? "the form is larger than the server accepts" : "the form's parameters could not be read",
                        request.getRequestURI()), json);
                return null;
            }
            if (causedBy(e, InvalidFileNameException.class)) {
                // Tomcat itself refuses a NUL in an upload's file name, as an exception in parsing.
                refuse(request, response, json, "file", "the file name contains a NUL character (U+0000)");
                return null;
            }
            throw e;
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean concrete(String contentType) {
        try {
            MediaType media = MediaType.parseMediaType(contentType);
            return !media.isWildcardType() && !media.isWildcardSubtype();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        try {
            MediaType media = MediaType.parseMediaType(type);
            return "json".equals(media.getSubtype()) || media.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasEscape(byte[] body) {
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '\\' && (body[i + 1] == 'u' || body[i + 1] == 'U')) {
                return true;
            }
        }
        return false;
    }

    /** The path and the flaw of the first string or key that may not be stored; null if none (or if it is not JSON at all). */
    private String[] scan(byte[] body) {
        try (var parser = json.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.PROPERTY_NAME || token == JsonToken.VALUE_STRING) {
                    String problem = StoredText.flaw(token == JsonToken.PROPERTY_NAME ? parser.currentName() : parser.getString());
                    if (problem != null) {
                        String path = path(token == JsonToken.PROPERTY_NAME ? parser.streamReadContext().getParent()
                                : parser.streamReadContext());
                        return new String[] {path.isEmpty() ? "body" : path,
                                (token == JsonToken.PROPERTY_NAME ? "a key " : "") + problem};
                    }
                }
            }
            return null;
        } catch (JacksonException malformed) {
            return null; // the controller says what is wrong with it
        }
    }

    /** {@code points[0].key}, as the validation errors name fields. */
    private static String path(TokenStreamContext context) {
        var segments = new java.util.ArrayDeque<String>();
        for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.currentName() != null) {
                segments.push("." + c.currentName());
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String field, String problem) throws IOException {
        refuse(request, response, json, field, problem);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, JsonMapper json, String field, String problem)
            throws IOException {
        String shown = StoredText.flaw(field) == null ? field : field.replace("\u0000", "\\u0000").replaceAll("\\p{Cs}", "?");
        var detail = Problems.of(HttpStatus.BAD_REQUEST, "validation", "'" + shown + "' " + problem, request.getRequestURI());
        detail.setProperty("errors", List.of(new ApiExceptionHandler.FieldProblem(shown, problem)));
        Problems.write(response, detail, json);
    }

    /** The body once more, for the controller, after this filter read it. */
    private static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            java.nio.charset.Charset charset = java.nio.charset.StandardCharsets.UTF_8;
            try {
                charset = getCharacterEncoding() == null ? charset : java.nio.charset.Charset.forName(getCharacterEncoding());
            } catch (IllegalArgumentException unknown) {
                // an unknown charset name: read it as UTF-8, as the JSON converter would
            }
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}

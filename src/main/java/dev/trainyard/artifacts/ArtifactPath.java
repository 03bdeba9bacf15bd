package dev.trainyard.artifacts;

import java.util.List;
import java.util.regex.Pattern;

import dev.trainyard.shared.web.BadRequestException;

/**
 * A path inside one run's artifacts, checked so that it cannot leave them: no {@code ..} or
 * {@code .} segment, no absolute path, backslash, drive letter or control character. What fails
 * is a 400, never a file outside the run's folder.
 */
public final class ArtifactPath {

    public static final ArtifactPath ROOT = new ArtifactPath(List.of());

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final int MAX_LENGTH = 1000;

    private final List<String> segments;

    private ArtifactPath(List<String> segments) {
        this.segments = segments;
    }

    /** The path as given (slashes between segments; a leading or trailing slash is an empty segment, refused). */
    public static ArtifactPath of(String path) {
        if (path == null || path.isEmpty()) {
            return ROOT;
        }
        if (path.length() > MAX_LENGTH) {
            throw invalid(path, "longer than " + MAX_LENGTH + " characters");
        }
        if (path.indexOf('\\') >= 0 || CONTROL.matcher(path).find()) {
            throw invalid(path, "backslashes and control characters are not allowed");
        }
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.startsWith("~")) {
            throw invalid(path, "it must be relative to the run's artifacts");
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<String> segments = List.of(trimmed.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw invalid(path, "'" + s + "' segments are not allowed: a path may not leave the run's artifacts");
            }
        }
        return new ArtifactPath(segments);
    }

    public List<String> segments() {
        return segments;
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The path below this one by a child name (already checked as a segment). */
    ArtifactPath child(String name) {
        var longer = new java.util.ArrayList<>(segments);
        longer.add(name);
        return new ArtifactPath(List.copyOf(longer));
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactPath p && p.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    private static BadRequestException invalid(String path, String why) {
        return new BadRequestException("path", "invalid artifact path '" + path + "': " + why);
    }
}

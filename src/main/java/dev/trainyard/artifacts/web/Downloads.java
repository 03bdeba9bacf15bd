package dev.trainyard.artifacts.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.trainyard.artifacts.ArtifactPath;
import dev.trainyard.shared.web.BadRequestException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.UriUtils;

/** Artifact paths taken from request URIs, and files sent back as downloads. Shared with the MLflow proxy. */
public final class Downloads {

    private Downloads() {
    }

    /**
     * The path after {@code prefix} in the request's URI, each segment percent-decoded on its own,
     * so that an encoded slash or dot cannot pass the checks as part of a name.
     */
    public static ArtifactPath path(HttpServletRequest request, String prefix) {
        String uri = request.getRequestURI();
        if (!uri.startsWith(prefix)) {
            return ArtifactPath.ROOT;
        }
        var decoded = new java.util.ArrayList<String>();
        for (String segment : uri.substring(prefix.length()).split("/", -1)) {
            String s = UriUtils.decode(segment, StandardCharsets.UTF_8);
            if (s.contains("/")) {
                throw new BadRequestException("path", "an encoded '/' is not allowed in an artifact path");
            }
            decoded.add(s);
        }
        return ArtifactPath.of(String.join("/", decoded));
    }

    public static ResponseEntity<Resource> of(ArtifactPath path, Resource file) {
        List<String> segments = path.segments();
        String name = segments.isEmpty() ? "artifact" : segments.get(segments.size() - 1);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8)
                        .build().toString())
                .body(file);
    }
}

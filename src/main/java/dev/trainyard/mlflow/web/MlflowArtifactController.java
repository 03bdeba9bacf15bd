package dev.trainyard.mlflow.web;

import java.io.IOException;
import java.util.Map;

import dev.trainyard.artifacts.ArtifactPath;
import dev.trainyard.artifacts.web.Downloads;
import dev.trainyard.mlflow.MlflowArtifacts;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * MLflow's artifact proxy, as its server serves it with {@code --serve-artifacts}: what the Python
 * client's {@code HttpArtifactRepository} calls for an {@code mlflow-artifacts:/} URI. An upload is
 * the request body itself, streamed to the store.
 */
@RestController
@RequestMapping({MlflowArtifactController.API, MlflowArtifactController.AJAX})
class MlflowArtifactController {

    static final String API = "/api/2.0/mlflow-artifacts/artifacts";
    static final String AJAX = "/ajax-api/2.0/mlflow-artifacts/artifacts";

    private final MlflowArtifacts artifacts;

    MlflowArtifactController(MlflowArtifacts artifacts) {
        this.artifacts = artifacts;
    }

    @PutMapping("/**")
    Map<String, Object> upload(HttpServletRequest request) throws IOException {
        artifacts.upload(pathOf(request), request.getInputStream(), request.getContentLengthLong());
        return Map.of();
    }

    @GetMapping("/**")
    ResponseEntity<Resource> download(HttpServletRequest request) {
        ArtifactPath path = pathOf(request);
        return Downloads.of(path, artifacts.download(path));
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String path) {
        return Map.of("files", artifacts.list(ArtifactPath.of(path)));
    }

    private static ArtifactPath pathOf(HttpServletRequest request) {
        String prefix = request.getContextPath() + (request.getRequestURI().startsWith(request.getContextPath() + AJAX) ? AJAX : API)
                + "/";
        return Downloads.path(request, prefix);
    }
}

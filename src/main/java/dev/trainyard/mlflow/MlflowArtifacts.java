package dev.trainyard.mlflow;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import dev.trainyard.artifacts.ArtifactPath;
import dev.trainyard.artifacts.ArtifactStore.ArtifactEntry;
import dev.trainyard.artifacts.RunArtifacts;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunManagement;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;

/**
 * MLflow's artifact proxy ({@code mlflow-artifacts}) over a run's artifacts. A run's artifact URI
 * is {@code mlflow-artifacts:/<experiment id>/<run id>/artifacts}, so the client's paths are
 * {@code <experiment id>/<run id>/artifacts/<path in the run>}; anything else names no run's
 * folder and is refused.
 */
@Service
public class MlflowArtifacts {

    private final RunArtifacts artifacts;
    private final RunManagement runs;
    private final MlflowExperiments experiments;

    MlflowArtifacts(RunArtifacts artifacts, RunManagement runs, MlflowExperiments experiments) {
        this.artifacts = artifacts;
        this.runs = runs;
        this.experiments = experiments;
    }

    /** A proxy path split into the run and the path inside its artifacts. */
    record Location(String runId, ArtifactPath path) {
    }

    public void upload(ArtifactPath proxyPath, InputStream in, long declaredLength) {
        Location at = locate(proxyPath);
        if (at.path().isRoot()) {
            throw MlflowException.invalid("An upload needs a file path below the run's artifacts: " + proxyPath);
        }
        artifacts.put(at.runId(), at.path(), in, declaredLength);
    }

    public Resource download(ArtifactPath proxyPath) {
        Location at = locate(proxyPath);
        try {
            return artifacts.get(at.runId(), at.path());
        } catch (NotFoundException e) {
            throw MlflowException.missing("No artifact at '" + proxyPath + "'");
        }
    }

    /** The folder's entries as MLflow's server lists them: by name, a file with its size. */
    public List<Messages.FileInfo> list(ArtifactPath proxyPath) {
        Location at = locate(proxyPath);
        var files = new ArrayList<Messages.FileInfo>();
        for (ArtifactEntry e : artifacts.list(at.runId(), at.path())) {
            files.add(new Messages.FileInfo(e.name(), e.directory(), e.directory() ? null : e.size()));
        }
        return files;
    }

    Location locate(ArtifactPath proxyPath) {
        List<String> s = proxyPath.segments();
        if (s.size() < 3 || !s.get(2).equals("artifacts")) {
            throw MlflowException.invalid("Invalid artifact path '" + proxyPath
                    + "': Trainyard serves runs' artifacts, at <experiment id>/<run id>/artifacts/<path>");
        }
        Run run;
        try {
            run = runs.get(s.get(1));
        } catch (NotFoundException e) {
            throw MlflowException.missing("Run with id=" + s.get(1) + " not found");
        }
        if (!experiments.idOf(run.getProject()).equals(s.get(0))) {
            throw MlflowException.missing("Run with id=" + s.get(1) + " is not in experiment " + s.get(0));
        }
        return new Location(run.getId(), ArtifactPath.of(String.join("/", s.subList(3, s.size()))));
    }
}

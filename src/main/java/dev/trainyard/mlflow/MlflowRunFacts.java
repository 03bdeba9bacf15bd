package dev.trainyard.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an MLflow client's tags say about a run, for its page: who started it, from which source
 * and commit, and the valued tags the page does not already show as the run's name, notes or
 * parent link.
 */
@Service
public class MlflowRunFacts {

    static final String SOURCE_NAME = "mlflow.source.name";
    static final String SOURCE_TYPE = "mlflow.source.type";
    static final String GIT_COMMIT = "mlflow.source.git.commit";
    private static final Set<String> SHOWN_ELSEWHERE = Set.of(MlflowRuns.RUN_NAME, MlflowRuns.NOTE, NestedRuns.PARENT_TAG,
            MlflowRuns.USER, SOURCE_NAME, SOURCE_TYPE, GIT_COMMIT);

    /** A run's provenance (each part null when its tag is absent) and its other valued tags, by key. */
    public record Facts(String user, String source, String sourceType, String commit, Map<String, String> tags) {

        /** A run no MLflow client has tagged. */
        public static final Facts NONE = new Facts(null, null, null, null, Map.of());

        public boolean hasProvenance() {
            return user != null || source != null;
        }

        /** The commit as people quote it: its first 8 characters. */
        public String shortCommit() {
            return commit == null || commit.length() <= 8 ? commit : commit.substring(0, 8);
        }
    }

    private final MlflowTags tags;

    MlflowRunFacts(MlflowTags tags) {
        this.tags = tags;
    }

    @Transactional(readOnly = true)
    public Facts of(String runId) {
        Map<String, String> all = tags.ofRun(runId);
        if (all.isEmpty()) {
            return Facts.NONE;
        }
        var rest = new LinkedHashMap<String, String>();
        all.forEach((key, value) -> {
            if (!SHOWN_ELSEWHERE.contains(key)) {
                rest.put(key, value);
            }
        });
        return new Facts(all.get(MlflowRuns.USER), all.get(SOURCE_NAME), all.get(SOURCE_TYPE), all.get(GIT_COMMIT), rest);
    }
}

package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a job run's config says: the spec with its defaults, under the spec's own names, without what does not apply. */
class JobHyperParametersTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aSeedRnnJobsConfigIsTheTutorialsSettingsWithWhatWasSent() {
        Map<String, Object> config = JobHyperParameters.of(JobSpec.seedRnn(null, 8, null, null), json);

        assertThat(config).containsExactly(Map.entry("model", "seed-rnn"), Map.entry("dataset", "seed-sentence"),
                Map.entry("steps", 1000), Map.entry("hidden", 8), Map.entry("learningRate", 0.01), Map.entry("optimizer", "adam"),
                Map.entry("loss", "mse"), Map.entry("seed", 1), Map.entry("sampleEvery", 100));
    }

    @Test
    void aCharacterModelsConfigHasItsDefaultsAndStepsEvenWhenSentAsEpochs() {
        JobSpec sentAsEpochs = json.readValue("{\"model\": \"gru\", \"epochs\": 7, \"clipGradient\": 5}", JobSpec.class);

        Map<String, Object> config = JobHyperParameters.of(sentAsEpochs, json);

        assertThat(config).containsEntry("model", "gru").containsEntry("dataset", "builtin:tales").containsEntry("steps", 7)
                .containsEntry("hidden", 100).containsEntry("layers", 1).containsEntry("embedding", 70)
                .containsEntry("learningRate", 0.002).containsEntry("sequenceLength", 200).containsEntry("batchSize", 1)
                .containsEntry("clipGradient", 5.0).doesNotContainKey("epochs");
        assertThat(config.values()).doesNotContainNull();
    }

    @Test
    void aDl4jJobsConfigCountsEpochsAsPassesAndLeavesTheNetworkInTheJob() {
        JobSpec spec = JobSpec.dl4j("{\"confs\": []}", "builtin:iris", null, null, 40, null, 3L);

        Map<String, Object> config = JobHyperParameters.of(spec, json);

        assertThat(config).containsEntry("model", "dl4j").containsEntry("dataset", "builtin:iris").containsEntry("epochs", 40)
                .containsEntry("batchSize", 32).containsEntry("seed", 3).containsEntry("validationFraction", 0.2)
                .containsEntry("normalizer", "standardize").containsEntry("label", "species")
                .doesNotContainKeys("steps", "network", "hidden", "learningRate", "patience");
    }
}

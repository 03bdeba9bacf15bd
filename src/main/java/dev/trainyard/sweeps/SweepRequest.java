package dev.trainyard.sweeps;

import java.util.List;
import java.util.Map;

import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A grid of jobs: every model × every dataset × every seed × every combination of the {@code grid}
 * values, each on top of {@code base}. {@code lengths} is shorthand for {@code recall:<N>} datasets
 * (or {@code memorize:<N>} with {@code "task": "memorize"}), which makes the memory-horizon experiment
 * one request: {@code {"project": "horizon", "lengths": [4, 8, 16, 32, 64]}}.
 *
 * @param models   models to compare; default rnn, gru and lstm
 * @param lengths  delays N of {@code recall:N} (or lengths of {@code memorize:N})
 * @param task     what {@code lengths} are of: {@code recall} (delayed recall, the default) or
 *                 {@code memorize} (reproduce one random string: a capacity test, not a memory test)
 * @param datasets other datasets, alongside or instead of {@code lengths}
 * @param seeds    seeds to repeat every run with; the sweep page draws their mean ± std
 * @param grid     job spec field → values, e.g. {@code {"learningRate": [0.001, 0.01]}}; {@code epochs}, the old
 *                 name of {@code steps}, is accepted. For dl4j jobs a key may also be a place in the base's
 *                 network, {@code {"layers[0].nOut": [16, 64]}} (see {@link dev.trainyard.training.NetworkPaths})
 * @param base     the settings shared by every run; validated as part of each run's spec, since on its own
 *                 it may lack the model that makes it valid. A field it leaves out takes each model's own
 *                 default, except that {@code recall:N} runs take {@link Horizon}'s steps, hidden and
 *                 batch size
 */
public record SweepRequest(
        @NotBlank @Size(max = 200) String project,
        @Size(max = 200) String name,
        @Size(max = 4) List<@NotBlank String> models,
        @Size(max = 64) List<Integer> lengths,
        @Pattern(regexp = "recall|memorize", message = "must be recall or memorize") String task,
        @Size(max = 64) List<@NotBlank String> datasets,
        @Size(max = 16) List<@Min(0) @Max(9_007_199_254_740_992L) Long> seeds,
        @Size(max = 8) Map<String, @Size(min = 1, max = 64) List<Object>> grid,
        JobSpec base) {

    /** The dataset of one of {@code lengths}. */
    String datasetOf(int length) {
        return ("memorize".equals(task) ? JobSpec.MEMORIZE : JobSpec.RECALL) + length;
    }
}

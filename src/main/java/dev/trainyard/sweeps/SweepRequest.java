package dev.trainyard.sweeps;

import java.util.List;
import java.util.Map;

import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A grid of jobs: every model × every dataset × every combination of the {@code grid} values,
 * each on top of {@code base}. {@code lengths} is shorthand for {@code memorize:<length>}
 * datasets, which makes the memory-horizon experiment one request:
 * {@code {"project": "horizon", "models": ["rnn","gru","lstm"], "lengths": [8,16,32,64]}}.
 *
 * @param models   models to compare; default rnn, gru and lstm
 * @param lengths  memorize:N lengths
 * @param datasets other datasets, alongside or instead of {@code lengths}
 * @param grid     job spec field → values, e.g. {@code {"learningRate": [0.001, 0.01]}}
 * @param base     the settings shared by every run; validated as part of each run's spec, since on its own
 *                 it may lack the model that makes it valid
 */
public record SweepRequest(
        @NotBlank @Size(max = 200) String project,
        @Size(max = 200) String name,
        @Size(max = 4) List<@NotBlank String> models,
        @Size(max = 64) List<Integer> lengths,
        @Size(max = 64) List<@NotBlank String> datasets,
        @Size(max = 8) Map<String, @Size(min = 1, max = 64) List<Object>> grid,
        JobSpec base) {
}

package dev.trainyard.training;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * What a training job asks for. Every numeric field has a documented range, enforced by Bean
 * Validation at the API edge, so nobody can book the machine with hidden = 10^9. Absent fields take
 * the model's defaults through {@link #withDefaults()}.
 *
 * @param model        {@code seed-rnn}: the seed tutorial's hand-built RNN cell
 * @param dataset      {@code seed-sentence}
 * @param epochs       1 to 100,000; seed-rnn default 1000
 * @param hidden       hidden units, 1 to 1024; seed-rnn default 35
 * @param learningRate greater than 0, at most 10; seed-rnn default 0.01
 * @param optimizer    {@code adam} (default)
 * @param loss         {@code mse} (default for seed-rnn)
 * @param seed         random seed for weight initialisation, 0 to 2^53; default 1
 */
public record JobSpec(
        @Pattern(regexp = "seed-rnn", message = "must be one of: seed-rnn") String model,
        @Pattern(regexp = "seed-sentence", message = "must be one of: seed-sentence") String dataset,
        @Min(1) @Max(100_000) Integer epochs,
        @Min(1) @Max(1024) Integer hidden,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double learningRate,
        @Pattern(regexp = "adam", message = "must be one of: adam") String optimizer,
        @Pattern(regexp = "mse", message = "must be one of: mse") String loss,
        @Min(0) @Max(9_007_199_254_740_992L) Long seed) {

    public static final String SEED_RNN = "seed-rnn";
    public static final String SEED_SENTENCE = "seed-sentence";

    /** The same spec with every absent field set to the model's default. */
    public JobSpec withDefaults() {
        return new JobSpec(
                model == null ? SEED_RNN : model,
                dataset == null ? SEED_SENTENCE : dataset,
                epochs == null ? 1000 : epochs,
                hidden == null ? 35 : hidden,
                learningRate == null ? 0.01 : learningRate,
                optimizer == null ? "adam" : optimizer,
                loss == null ? "mse" : loss,
                seed == null ? 1L : seed);
    }
}

package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class DownsamplerTest {

    private static Series series(long[] steps, double[] values) {
        return new Series(steps, values, new long[steps.length], steps.length, 1);
    }

    @Test
    void aRangeWithinTheBudgetComesBackWhole() {
        var s = series(new long[] {1, 2, 3}, new double[] {3, 2, 1});
        assertThat(Downsampler.sample(s, 0, 3, 3)).extracting(HistoryPoint::step).containsExactly(1L, 2L, 3L);
        assertThat(Downsampler.sample(s, 0, 3, 3)).allMatch(p -> p.min() == null && p.max() == null);
    }

    @Test
    void bucketsKeepFirstLastMinAndMaxOfUnevenSteps() {
        long[] steps = LongStream.range(0, 1_000_000).map(i -> i * 3 + (i % 2)).toArray();
        double[] values = new double[steps.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i / 1000.0);
        }
        values[123_456] = -50;
        values[654_321] = Double.NaN;

        List<HistoryPoint> out = Downsampler.sample(series(steps, values), 0, steps.length, 1000);

        assertThat(out).hasSizeLessThanOrEqualTo(1000).hasSizeGreaterThan(900);
        assertThat(out.get(0).step()).isEqualTo(steps[0]);
        assertThat(out.get(out.size() - 1).step()).isEqualTo(steps[steps.length - 1]);
        assertThat(out).extracting(HistoryPoint::step).isSorted().doesNotHaveDuplicates();
        assertThat(out.stream().skip(1).mapToDouble(HistoryPoint::min).min().orElseThrow()).isEqualTo(-50);
        assertThat(out.stream().skip(1).mapToDouble(HistoryPoint::max).max().orElseThrow()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(out.stream().skip(1)).noneMatch(p -> Double.isNaN(p.min()));
    }

    @Test
    void mergingReplacesRepeatedStepsAndKeepsOrder() {
        var s = series(new long[] {1, 3, 5}, new double[] {1, 3, 5});
        var merged = s.merge(new long[] {2, 3, 6}, new double[] {20, 30, 60}, new long[3], 3, 2);
        assertThat(java.util.Arrays.copyOf(merged.steps, merged.size)).containsExactly(1, 2, 3, 5, 6);
        assertThat(java.util.Arrays.copyOf(merged.values, merged.size)).containsExactly(1, 20, 30, 5, 60);
        var appended = merged.merge(new long[] {7}, new double[] {70}, new long[1], 1, 3);
        assertThat(appended.size).isEqualTo(6);
        assertThat(merged.size).as("an older snapshot is untouched by an append").isEqualTo(5);
    }
}

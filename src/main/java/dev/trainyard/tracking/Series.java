package dev.trainyard.tracking;

import java.util.Arrays;

/**
 * One metric's points sorted by step, in primitive arrays so that a million points cost 24 MB and
 * a pass over them a few milliseconds. Readers see an immutable prefix: appends write past
 * {@code size} into spare capacity and publish a new Series, anything else copies.
 */
final class Series {

    final long[] steps;
    final double[] values;
    final long[] times;
    final int size;
    /** The newest event whose points are included. */
    final long asOfEvent;

    Series(long[] steps, double[] values, long[] times, int size, long asOfEvent) {
        this.steps = steps;
        this.values = values;
        this.times = times;
        this.size = size;
        this.asOfEvent = asOfEvent;
    }

    static Series empty() {
        return new Series(new long[0], new double[0], new long[0], 0, 0);
    }

    /** Index of the first step ≥ {@code step}. */
    int lowerBound(long step) {
        int i = Arrays.binarySearch(steps, 0, size, step);
        return i >= 0 ? i : -i - 1;
    }

    /** Index after the last step ≤ {@code step}. */
    int upperBound(long step) {
        int i = Arrays.binarySearch(steps, 0, size, step);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The least and greatest value in [from, to), skipping NaN unless there is nothing else. */
    double[] extremes(int from, int to) {
        double min = Double.NaN;
        double max = Double.NaN;
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (!Double.isNaN(v)) {
                min = Double.isNaN(min) || v < min ? v : min;
                max = Double.isNaN(max) || v > max ? v : max;
            }
        }
        return new double[] {min, max};
    }

    /**
     * This series with {@code delta} (sorted by step, distinct steps) merged in, a delta point
     * replacing one with the same step. Only the first series to append past a given size may
     * use the spare capacity; callers serialise merges per series.
     */
    Series merge(long[] dSteps, double[] dValues, long[] dTimes, int dSize, long asOf) {
        if (dSize == 0) {
            return new Series(steps, values, times, size, asOf);
        }
        if (size == 0 || dSteps[0] > steps[size - 1]) {
            return append(dSteps, dValues, dTimes, dSize, asOf);
        }
        int n = size + dSize;
        long[] s = new long[n];
        double[] v = new double[n];
        long[] t = new long[n];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < size || j < dSize) {
            if (j >= dSize || (i < size && steps[i] < dSteps[j])) {
                s[k] = steps[i];
                v[k] = values[i];
                t[k++] = times[i++];
            } else {
                if (i < size && steps[i] == dSteps[j]) {
                    i++;
                }
                s[k] = dSteps[j];
                v[k] = dValues[j];
                t[k++] = dTimes[j++];
            }
        }
        return new Series(s, v, t, k, asOf);
    }

    private Series append(long[] dSteps, double[] dValues, long[] dTimes, int dSize, long asOf) {
        int n = size + dSize;
        long[] s = steps;
        double[] v = values;
        long[] t = times;
        if (n > steps.length) {
            int capacity = Math.max(n, steps.length + (steps.length >> 1) + 16);
            s = Arrays.copyOf(steps, capacity);
            v = Arrays.copyOf(values, capacity);
            t = Arrays.copyOf(times, capacity);
        }
        System.arraycopy(dSteps, 0, s, size, dSize);
        System.arraycopy(dValues, 0, v, size, dSize);
        System.arraycopy(dTimes, 0, t, size, dSize);
        return new Series(s, v, t, n, asOf);
    }
}

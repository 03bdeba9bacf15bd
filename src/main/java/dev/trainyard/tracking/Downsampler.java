package dev.trainyard.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bucket downsampling in the manner of W&B's full-fidelity mode: the step range is cut into equal
 * widths and each non-empty bucket answers with its last point plus its min and max, so spikes
 * survive. The range's first point is always kept on its own, and its last point ends the last
 * bucket. NaN is skipped for min and max unless a bucket holds nothing else.
 */
final class Downsampler {

    private Downsampler() {
    }

    static List<HistoryPoint> sample(Series s, int from, int to, int maxPoints) {
        int n = to - from;
        var out = new ArrayList<HistoryPoint>(Math.min(n, maxPoints));
        if (n <= maxPoints) {
            for (int i = from; i < to; i++) {
                out.add(new HistoryPoint(s.steps[i], s.values[i], Instant.ofEpochMilli(s.times[i]), null, null));
            }
            return out;
        }
        out.add(new HistoryPoint(s.steps[from], s.values[from], Instant.ofEpochMilli(s.times[from]), null, null));
        if (maxPoints == 1) {
            return out;
        }
        int buckets = maxPoints - 1;
        long first = s.steps[from + 1];
        double span = s.steps[to - 1] - first + 1;
        int i = from + 1;
        while (i < to) {
            long bucket = bucketOf(s.steps[i], first, span, buckets);
            int start = i;
            // The bucket index never decreases with the step, so a bucket's points are contiguous.
            while (i < to && bucketOf(s.steps[i], first, span, buckets) == bucket) {
                i++;
            }
            int last = i - 1;
            double[] extremes = s.extremes(start, i);
            out.add(new HistoryPoint(s.steps[last], s.values[last], Instant.ofEpochMilli(s.times[last]), extremes[0], extremes[1]));
        }
        return out;
    }

    private static long bucketOf(long step, long first, double span, int buckets) {
        return Math.min(buckets - 1, (long) ((step - first) / span * buckets));
    }
}

package dev.trainyard.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds {@code {"points":[{"key":K,"step":N,"value":V},...]}} straight into bytes from pre-encoded
 * pieces, so that the client spends well under a millisecond per 10,000-point batch and is not what
 * the ingest figure measures. Values cycle through a precomputed table of realistic doubles.
 */
final class BatchBody {

    private static final byte[] HEAD = "{\"points\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MID = ",\"value\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] VALUES = new byte[10_007][];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            double v = 2.5 * Math.exp(-i / 4000.0) + 0.05 * Math.sin(i * 0.37) + 0.01;
            VALUES[i] = Double.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final byte[] pointPrefix;

    /** The value {@link #build} writes for a step, to check what the store holds afterwards. */
    static double value(long step) {
        return Double.parseDouble(new String(VALUES[(int) (step % VALUES.length)], StandardCharsets.US_ASCII));
    }

    BatchBody(String key) {
        this.pointPrefix = ("{\"key\":\"" + key + "\",\"step\":").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] build(long firstStep, int n) {
        byte[] out = new byte[HEAD.length + TAIL.length + n * (pointPrefix.length + MID.length + 20 + 24 + 2)];
        int at = put(out, 0, HEAD);
        byte[] digits = new byte[20];
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(out, at, pointPrefix);
            long step = firstStep + i;
            at = putLong(out, at, step, digits);
            at = put(out, at, MID);
            at = put(out, at, VALUES[(int) (step % VALUES.length)]);
            out[at++] = '}';
        }
        at = put(out, at, TAIL);
        return Arrays.copyOf(out, at);
    }

    private static int put(byte[] out, int at, byte[] piece) {
        System.arraycopy(piece, 0, out, at, piece.length);
        return at + piece.length;
    }

    private static int putLong(byte[] out, int at, long v, byte[] digits) {
        if (v == 0) {
            out[at] = '0';
            return at + 1;
        }
        int n = 0;
        while (v > 0) {
            digits[n++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        while (n > 0) {
            out[at++] = digits[--n];
        }
        return at;
    }
}

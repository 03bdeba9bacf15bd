package dev.trainyard.tracking;

import java.util.regex.Pattern;

import dev.trainyard.shared.web.BadRequestException;

/**
 * The rule every metric key follows, wherever one arrives. Keys may hold slashes (train/loss);
 * segments must be names: no empty ones, and no "." or "..", which read like paths. A space may
 * stand inside a key, as MLflow allows ("train loss"), but not at either end, where "loss " would
 * pass for "loss". The Python client's {@code _common.py} and the Java client's {@code TrainyardRun}
 * check the same rule. 250 characters is MLflow's limit for metric, param and tag keys, so a key an
 * MLflow script logs fits.
 */
public final class MetricKeys {

    public static final String RULE = "must match [A-Za-z0-9_./= -]{1,250}, with no space at either end and no empty, \".\" or \"..\" "
            + "segment between slashes";
    private static final Pattern KEY = Pattern.compile("(?! )(?!.* $)(?!.*(^|/)\\.{1,2}(/|$))(?!/)(?!.*//)(?!.*/$)[A-Za-z0-9_./= -]{1,250}");

    private MetricKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The key, or a 400 naming {@code field}. */
    public static String require(String field, String key) {
        if (!isValid(key)) {
            throw new BadRequestException(field, RULE);
        }
        return key;
    }
}

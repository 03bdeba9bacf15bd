package dev.trainyard.tracking;

import dev.trainyard.shared.web.BadRequestException;

/**
 * A condition on a metric's summary, as a user writes it: {@code loss<0.5}, {@code loss:min<=0.1},
 * {@code val/acc:max>=0.9}. The summary is read as {@link SummaryRef} reads it and compared as a
 * number with any of = != < <= > >=. A run that never logged the key fails every condition but !=;
 * NaN compares as nothing.
 */
public record MetricCondition(SummaryRef summary, ConfigCondition.Op op, double value) {

    /**
     * The operator is looked for from the right: the value is a number, which holds none of
     * {@code = ! < >}, while a metric key may hold {@code =}.
     */
    public static MetricCondition parse(String text) {
        for (int i = text.length() - 1; i > 0; i--) {
            char c = text.charAt(i);
            if (c != '=' && c != '<' && c != '>') {
                continue;
            }
            int start = c == '=' && "<>!".indexOf(text.charAt(i - 1)) >= 0 ? i - 1 : i;
            if (start == 0) {
                break;
            }
            ConfigCondition.Op op = op(text.substring(start, i + 1));
            if (op == null) {
                break;
            }
            String number = text.substring(i + 1).strip();
            double value;
            try {
                value = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                throw new BadRequestException("metric", "'" + text + "': a summary is compared with a number, not '" + number + "'");
            }
            if (!Double.isFinite(value)) {
                throw new BadRequestException("metric", "'" + text + "': compare with a finite number");
            }
            return new MetricCondition(SummaryRef.parse("metric", text.substring(0, start)), op, value);
        }
        throw new BadRequestException("metric", "'" + text + "' is not a condition; write a key, optionally :last, :min, :max "
                + "or :mean, then = != < <= > or >= and a number, as in loss:min<0.5");
    }

    private static ConfigCondition.Op op(String symbol) {
        for (ConfigCondition.Op op : ConfigCondition.Op.values()) {
            if (op.symbol().equals(symbol)) {
                return op;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return summary + op.symbol() + (value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value));
    }
}

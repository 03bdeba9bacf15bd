package dev.trainyard.tracking;

import java.util.List;

import dev.trainyard.shared.web.BadRequestException;

/**
 * A condition on a config value, as a user writes it: {@code lr>0.001}, {@code model=gru},
 * {@code optimizer.name!=sgd}. A number compares as a number with any of = != < <= > >=; any other
 * value compares as text, with = and != only. A run without the key fails every condition but !=.
 */
public record ConfigCondition(String key, Op op, String value) {

    public enum Op {
        GE(">="), LE("<="), NE("!="), EQ("="), GT(">"), LT("<");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** Longest symbols first, so that {@code >=} is not read as {@code >}. */
    private static final List<Op> BY_LENGTH = List.of(Op.GE, Op.LE, Op.NE, Op.EQ, Op.GT, Op.LT);

    public static ConfigCondition parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            for (Op op : BY_LENGTH) {
                if (text.startsWith(op.symbol(), i)) {
                    var condition = new ConfigCondition(text.substring(0, i).strip(), op, text.substring(i + op.symbol().length()).strip());
                    condition.validate(text);
                    return condition;
                }
            }
        }
        throw new BadRequestException("config", "'" + text + "' is not a condition; write key=value, or compare a number with "
                + "!=, <, <=, > or >=, as in lr>0.001");
    }

    /** The value as a number, or null when it compares as text. */
    public Double number() {
        try {
            double d = Double.parseDouble(value);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void validate(String text) {
        if (key.isEmpty() || key.length() > RunConfigIndex.MAX_KEY) {
            throw new BadRequestException("config", "'" + text + "' needs a config key of 1 to " + RunConfigIndex.MAX_KEY
                    + " characters before " + op.symbol());
        }
        if (number() == null && op != Op.EQ && op != Op.NE) {
            throw new BadRequestException("config", "'" + text + "': only a number can be compared with " + op.symbol()
                    + "; text is compared with = or !=");
        }
    }
}

package dev.trainyard.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * MLflow's search filter: clauses joined by {@code AND}, each {@code <entity>.<key> <op> <value>}.
 * Entities are {@code metrics.}, {@code params.}, {@code tags.} and {@code attributes.} (and the
 * singular spellings); keys may be backquoted or double-quoted; operators are
 * {@code = != < <= > >= LIKE ILIKE IN NOT IN}; values are quoted strings, numbers or, for
 * {@code IN}, a parenthesised list of strings. What it cannot parse is an
 * {@code INVALID_PARAMETER_VALUE} naming the position.
 */
final class MlflowFilter {

    enum Kind { METRIC, PARAM, TAG, ATTRIBUTE }

    enum Op { EQ, NE, LT, LE, GT, GE, LIKE, ILIKE, IN, NOT_IN }

    /** {@code number} is set when the value was written as a number. */
    record Clause(Kind kind, String key, Op op, List<String> values, Double number) {

        String value() {
            return values.get(0);
        }
    }

    record OrderBy(Kind kind, String key, boolean ascending) {
    }

    private final List<Clause> clauses;

    private MlflowFilter(List<Clause> clauses) {
        this.clauses = clauses;
    }

    List<Clause> clauses() {
        return clauses;
    }

    /** A filter of these clauses, all of which must hold. */
    static MlflowFilter of(List<Clause> clauses) {
        return new MlflowFilter(List.copyOf(clauses));
    }

    /**
     * Refuses a clause that cannot apply to a numeric value (a metric, a time): text or a list, or
     * an operator other than a comparison. Checked before any run is read, so that the answer does
     * not depend on whether some run has the value.
     */
    static void requireNumeric(Clause c) {
        if (c.number() == null) {
            throw MlflowException.invalid("Invalid filter: " + name(c) + " is numeric; compare it with a number, not '" + c.value() + "'");
        }
        switch (c.op()) {
            case EQ, NE, LT, LE, GT, GE -> {
            }
            default -> throw MlflowException.invalid("Invalid filter: " + c.op() + " does not apply to the number " + name(c));
        }
    }

    static MlflowFilter parse(String filter) {
        var p = new Parser(filter);
        var clauses = new ArrayList<Clause>();
        p.skipSpace();
        if (p.atEnd()) {
            return new MlflowFilter(clauses);
        }
        while (true) {
            clauses.add(p.clause());
            p.skipSpace();
            if (p.atEnd()) {
                return new MlflowFilter(clauses);
            }
            if (!p.keyword("AND")) {
                throw p.error("expected AND or the end of the filter");
            }
        }
    }

    static OrderBy orderBy(String text) {
        var p = new Parser(text);
        p.skipSpace();
        var id = p.identifier();
        p.skipSpace();
        boolean ascending = true;
        if (p.keyword("DESC")) {
            ascending = false;
        } else {
            p.keyword("ASC");
        }
        p.skipSpace();
        if (!p.atEnd()) {
            throw p.error("expected ASC, DESC or the end of the order_by clause");
        }
        return new OrderBy(id.kind, id.key, ascending);
    }

    /**
     * Whether every clause holds. {@code lookup} gives the run's value for a clause's entity and
     * key: a Double for metrics and times, a String otherwise, null when it has none (a clause on
     * a missing value never holds, as in MLflow).
     */
    boolean matches(Function<Clause, Object> lookup) {
        for (Clause c : clauses) {
            if (!holds(c, lookup.apply(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Clause c, Object actual) {
        if (actual == null) {
            return false;
        }
        if (actual instanceof Number n) {
            requireNumeric(c);
            // + 0.0 makes -0.0 equal to 0, as SQL has it.
            int cmp = Double.compare(n.doubleValue() + 0.0, c.number() + 0.0);
            return switch (c.op()) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
                default -> throw new IllegalStateException("requireNumeric let " + c.op() + " through");
            };
        }
        String s = actual.toString();
        return switch (c.op()) {
            case EQ -> s.equals(c.value());
            case NE -> !s.equals(c.value());
            case LT -> s.compareTo(c.value()) < 0;
            case LE -> s.compareTo(c.value()) <= 0;
            case GT -> s.compareTo(c.value()) > 0;
            case GE -> s.compareTo(c.value()) >= 0;
            case LIKE -> like(c.value(), false).matcher(s).matches();
            case ILIKE -> like(c.value(), true).matcher(s).matches();
            case IN -> c.values().contains(s);
            case NOT_IN -> !c.values().contains(s);
        };
    }

    private static String name(Clause c) {
        return c.kind().name().toLowerCase(Locale.ROOT) + "s." + c.key();
    }

    private static Pattern like(String pattern, boolean ignoreCase) {
        var regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            regex.append(ch == '%' ? ".*" : ch == '_' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    private static final class Parser {

        private record Identifier(Kind kind, String key) {
        }

        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        MlflowException error(String expected) {
            return MlflowException.invalid("Invalid filter '" + text + "' at position " + pos + ": " + expected);
        }

        boolean keyword(String word) {
            int end = pos + word.length();
            if (end <= text.length() && text.regionMatches(true, pos, word, 0, word.length())
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        Clause clause() {
            skipSpace();
            Identifier id = identifier();
            skipSpace();
            Op op = operator();
            skipSpace();
            if (op == Op.IN || op == Op.NOT_IN) {
                return new Clause(id.kind, id.key, op, list(), null);
            }
            if (!atEnd() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
                return new Clause(id.kind, id.key, op, List.of(quoted()), null);
            }
            int start = pos;
            while (!atEnd() && "0123456789+-.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String number = text.substring(start, pos);
            try {
                return new Clause(id.kind, id.key, op, List.of(number), Double.valueOf(number));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("expected a quoted string or a number");
            }
        }

        Identifier identifier() {
            int start = pos;
            while (!atEnd() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String entity = text.substring(start, pos).toLowerCase(Locale.ROOT);
            Kind kind = switch (entity) {
                case "metric", "metrics" -> Kind.METRIC;
                case "param", "params", "parameter", "parameters" -> Kind.PARAM;
                case "tag", "tags" -> Kind.TAG;
                case "attribute", "attributes", "attr", "run" -> Kind.ATTRIBUTE;
                default -> null;
            };
            if (kind == null || atEnd() || text.charAt(pos) != '.') {
                if (kind == null && !entity.isEmpty() && (atEnd() || text.charAt(pos) != '.')) {
                    // A bare attribute, as experiments/search takes "name LIKE ..." and MLflow takes "status = ...".
                    return new Identifier(Kind.ATTRIBUTE, entity);
                }
                pos = start;
                throw error("expected an identifier such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>");
            }
            pos++;
            if (!atEnd() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
                return new Identifier(kind, quoted());
            }
            int keyStart = pos;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(pos)) || "_./-:".indexOf(text.charAt(pos)) >= 0)) {
                pos++;
            }
            if (pos == keyStart) {
                throw error("expected a key after '" + entity + ".'");
            }
            return new Identifier(kind, text.substring(keyStart, pos));
        }

        private Op operator() {
            String[][] symbols = {{"!=", "NE"}, {"<>", "NE"}, {"<=", "LE"}, {">=", "GE"}, {"=", "EQ"}, {"<", "LT"}, {">", "GT"}};
            for (String[] s : symbols) {
                if (text.startsWith(s[0], pos)) {
                    pos += s[0].length();
                    return Op.valueOf(s[1]);
                }
            }
            if (keyword("LIKE")) {
                return Op.LIKE;
            }
            if (keyword("ILIKE")) {
                return Op.ILIKE;
            }
            if (keyword("IN")) {
                return Op.IN;
            }
            int start = pos;
            if (keyword("NOT")) {
                skipSpace();
                if (keyword("IN")) {
                    return Op.NOT_IN;
                }
                pos = start;
            }
            throw error("expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)");
        }

        private List<String> list() {
            if (atEnd() || text.charAt(pos) != '(') {
                throw error("expected '(' to start the list of values");
            }
            pos++;
            var values = new ArrayList<String>();
            while (true) {
                skipSpace();
                values.add(quoted());
                skipSpace();
                if (!atEnd() && text.charAt(pos) == ',') {
                    pos++;
                } else if (!atEnd() && text.charAt(pos) == ')') {
                    pos++;
                    return values;
                } else {
                    throw error("expected ',' or ')' in the list of values");
                }
            }
        }

        private String quoted() {
            if (atEnd() || "'\"`".indexOf(text.charAt(pos)) < 0) {
                throw error("expected a quoted string");
            }
            char quote = text.charAt(pos);
            int start = pos;
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("the string opened here is never closed");
            }
            pos = end + 1;
            return text.substring(start + 1, end);
        }
    }
}

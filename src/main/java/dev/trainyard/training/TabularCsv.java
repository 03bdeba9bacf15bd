package dev.trainyard.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.writable.Writable;

/**
 * Detects how a CSV is written (delimiter, quote, header) and what its columns hold. The dialect is
 * sniffed from the first lines; the file itself is read with DataVec's {@link CSVRecordReader}, the
 * reader training uses, so what passes here is what training reads.
 */
public final class TabularCsv {

    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    private static final int SNIFFED_LINES = 20;

    private TabularCsv() {
    }

    /** Whether the first lines split alike on one delimiter into at least two fields: worth reading as a table. */
    public static boolean looksLikeTable(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8);
        List<String> lines = head.lines().filter(l -> !l.isBlank()).limit(SNIFFED_LINES).toList();
        if (lines.size() < 2) {
            return false;
        }
        if (head.length() < new String(bytes, StandardCharsets.UTF_8).length()) {
            lines = lines.subList(0, lines.size() - 1); // the last may be cut
        }
        char quote = lines.get(0).indexOf('\'') == 0 && lines.get(0).indexOf('"') < 0 ? '\'' : '"';
        for (char d : DELIMITERS) {
            int count = count(lines.get(0), d, quote);
            if (count > 0 && lines.stream().allMatch(l -> count(l, d, quote) == count)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws JobRefusal (field {@code file}) for a file that is not a table: fewer than two columns, ragged
     *                    rows, unbalanced quotes or duplicate column names, naming the line and column
     */
    public static TabularSchema detect(byte[] bytes) {
        Table table = read(bytes, JobRefusal::new);
        List<List<String>> records = table.records();
        List<Integer> lineNumbers = table.lines();
        char delimiter = table.delimiter();
        char quote = table.quote();
        int width = records.get(0).size();
        if (width < 2) {
            throw refused("line " + lineNumbers.get(0) + " has one column; a table needs at least two (the delimiter is one of , ; tab |)");
        }
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).size() != width) {
                throw refused("ragged rows: line " + lineNumbers.get(i) + " has " + records.get(i).size() + " fields, line "
                        + lineNumbers.get(0) + " has " + width + " (delimiter '" + shown(delimiter) + "')");
            }
        }
        boolean header = records.get(0).stream().allMatch(f -> !f.isBlank() && !isNumber(f));
        List<String> names = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            names.add(header ? records.get(0).get(c).strip() : "c" + (c + 1));
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < width; c++) {
            if (!seen.add(names.get(c))) {
                throw refused("line " + lineNumbers.get(0) + ", column " + (c + 1) + ": the column name '" + names.get(c)
                        + "' is used twice");
            }
        }
        int first = header ? 1 : 0;
        if (records.size() == first) {
            throw refused("the file has a header and no rows");
        }
        var columns = new ArrayList<TabularSchema.Column>();
        for (int c = 0; c < width; c++) {
            boolean numeric = true;
            boolean integral = true;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int textLine = 0;
            String textValue = null;
            var values = new TreeSet<String>();
            int distinct = 0;
            for (int r = first; r < records.size(); r++) {
                String value = records.get(r).get(c).strip();
                if (isNumber(value)) {
                    double v = Double.parseDouble(value);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    integral &= v == Math.rint(v);
                } else {
                    if (numeric) {
                        textLine = lineNumbers.get(r);
                        textValue = value;
                    }
                    numeric = false;
                }
                if (values.size() <= TabularSchema.MAX_VALUES && values.add(value)) {
                    distinct++;
                }
            }
            columns.add(new TabularSchema.Column(names.get(c), numeric, numeric && integral, numeric ? min : 0, numeric ? max : 0,
                    numeric ? List.of() : List.copyOf(values).subList(0, Math.min(values.size(), TabularSchema.MAX_VALUES)),
                    distinct, textLine, textValue));
        }
        return new TabularSchema(delimiter, quote, header, records.size() - first, List.copyOf(columns));
    }

    /** A CSV's records, each with its 1-based file line, and the dialect they were read in. */
    private record Table(List<List<String>> records, List<Integer> lines, char delimiter, char quote) {
    }

    /** How a caller words a CSV that cannot be read: a refusal at upload, a bad request at predict. */
    private interface Problem {
        RuntimeException of(String field, String message);
    }

    /** Reads every record with DataVec, after sniffing the dialect from the first lines; blank lines are skipped. */
    private static Table read(byte[] bytes, Problem problem) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(SNIFFED_LINES).toList();
        if (lines.isEmpty()) {
            throw problem.of("file", "the file has no rows");
        }
        char quote = lines.get(0).indexOf('\'') == 0 && lines.get(0).indexOf('"') < 0 ? '\'' : '"';
        char delimiter = sniff(lines, quote);
        List<List<String>> records = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        try (CSVRecordReader reader = new CSVRecordReader(0, delimiter, quote)) {
            reader.initialize(new InputStreamInputSplit(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
            while (reader.hasNext()) {
                Record record;
                try {
                    record = reader.nextRecord();
                } catch (RuntimeException e) {
                    throw problem.of("file", "line " + (lineNumbers.isEmpty() ? 1 : lineNumbers.get(lineNumbers.size() - 1) + 1)
                            + " could not be read as CSV: " + e.getMessage());
                }
                List<String> fields = new ArrayList<>();
                for (Writable w : record.getRecord()) {
                    fields.add(w.toString());
                }
                int line = record.getMetaData() instanceof RecordMetaDataLine m ? m.getLineNumber() + 1 : records.size() + 1;
                if (fields.size() == 1 && fields.get(0).isBlank()) {
                    continue; // a blank line, at the end of most files
                }
                records.add(fields);
                lineNumbers.add(line);
            }
        } catch (IOException | InterruptedException e) {
            throw problem.of("file", "the file could not be read as CSV: " + e.getMessage());
        }
        return new Table(records, lineNumbers, delimiter, quote);
    }

    /**
     * A CSV's rows as a model's feature values, for predict. With a header the features are taken by name, so
     * the columns may come in any order and others (the label, an id) are left out; without one, each row holds
     * exactly the features, in the model's order.
     *
     * @throws IllegalArgumentException naming the line and column of a missing feature, a ragged row or a value
     *                                  that is not a number
     */
    public static List<List<Double>> featureRows(byte[] bytes, List<String> features) {
        Table table = read(bytes, (field, message) -> new IllegalArgumentException(message));
        List<List<String>> records = table.records();
        boolean header = records.get(0).stream().allMatch(f -> !f.isBlank() && !isNumber(f));
        int[] positions = new int[features.size()];
        if (header) {
            List<String> names = records.get(0).stream().map(String::strip).toList();
            for (int f = 0; f < features.size(); f++) {
                positions[f] = names.indexOf(features.get(f));
                if (positions[f] < 0) {
                    throw new IllegalArgumentException("line " + table.lines().get(0) + ": the header has no column '"
                            + features.get(f) + "'; the model takes " + features);
                }
            }
        } else {
            for (int f = 0; f < features.size(); f++) {
                positions[f] = f;
            }
        }
        int width = records.get(0).size();
        if (!header && width != features.size()) {
            throw new IllegalArgumentException("line " + table.lines().get(0) + " has " + width + " values; the model takes "
                    + features.size() + ": " + features + " (or give a header naming them)");
        }
        var rows = new ArrayList<List<Double>>();
        for (int r = header ? 1 : 0; r < records.size(); r++) {
            List<String> record = records.get(r);
            int line = table.lines().get(r);
            if (record.size() != width) {
                throw new IllegalArgumentException("ragged rows: line " + line + " has " + record.size() + " fields, line "
                        + table.lines().get(0) + " has " + width);
            }
            var row = new ArrayList<Double>(features.size());
            for (int f = 0; f < features.size(); f++) {
                String value = record.get(positions[f]).strip();
                if (!isNumber(value)) {
                    throw new IllegalArgumentException("line " + line + ", column " + (positions[f] + 1) + " (" + features.get(f)
                            + ") holds '" + value + "', not a number");
                }
                row.add(Double.parseDouble(value));
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the CSV has a header and no rows");
        }
        return rows;
    }

    /** The candidate that splits the sniffed lines into the same number (at least two) of fields each. */
    private static char sniff(List<String> lines, char quote) {
        char best = ',';
        int bestCount = 0;
        for (char d : DELIMITERS) {
            int count = count(lines.get(0), d, quote);
            if (count > bestCount && lines.stream().allMatch(l -> count(l, d, quote) == count)) {
                best = d;
                bestCount = count;
            }
        }
        if (bestCount == 0) {
            // no candidate splits every line alike: take the first line's most frequent, and let the row check name the line
            for (char d : DELIMITERS) {
                int count = count(lines.get(0), d, quote);
                if (count > bestCount) {
                    best = d;
                    bestCount = count;
                }
            }
        }
        return best;
    }

    private static int count(String line, char delimiter, char quote) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == quote) {
                quoted = !quoted;
            } else if (ch == delimiter && !quoted) {
                count++;
            }
        }
        return count;
    }

    static boolean isNumber(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return false;
        }
        try {
            double d = Double.parseDouble(v);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String shown(char delimiter) {
        return delimiter == '\t' ? "\\t" : String.valueOf(delimiter);
    }

    private static JobRefusal refused(String message) {
        return new JobRefusal("file", message);
    }
}

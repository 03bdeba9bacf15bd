package dev.trainyard.training;

import java.util.List;
import java.util.Optional;

/**
 * What {@link TabularCsv#detect} found in a CSV: how it is written and what its columns hold.
 *
 * @param delimiter the field separator: ',', ';', tab or '|'
 * @param quote     the quote character
 * @param header    whether the first line names the columns (otherwise they are c1, c2, ...)
 * @param rows      data rows, the header not counted
 * @param columns   the columns in file order
 */
public record TabularSchema(char delimiter, char quote, boolean header, int rows, List<Column> columns) {

    /** The most distinct text values a column's description keeps (a class label has at most this many classes). */
    public static final int MAX_VALUES = 1000;

    /**
     * @param name          the header's name for it, or c1, c2, ...
     * @param numeric       every value parses as a number
     * @param integral      numeric and every value a whole number (a class index may be such a column)
     * @param min           the least value when numeric
     * @param max           the greatest value when numeric
     * @param values        the distinct values in sorted order when not numeric, at most {@value #MAX_VALUES}
     * @param distinct      how many distinct values a text column has (may exceed {@code values}' size)
     * @param firstTextLine when not numeric, the 1-based file line of the first value that is not a number
     * @param firstText     that value
     */
    public record Column(String name, boolean numeric, boolean integral, double min, double max, List<String> values,
            int distinct, int firstTextLine, String firstText) {
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** 1-based position of the named column. */
    public int position(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i + 1;
            }
        }
        return -1;
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }
}

package dev.jgrad.data;

import java.util.List;

/**
 * How {@link CsvReader} turns a CSV file's columns into features and targets.
 *
 * @param targetColumns the target columns, each a 0-based index (negative counts from the end: -1 is the last
 *                      column) or a header name; every other column is a feature. Empty with
 *                      {@link Targets.Kind#NONE} (every column is a feature).
 * @param targets       what the target columns hold: one integer class label ({@link Targets.Kind#CLASSES}),
 *                      float values, one per target column ({@link Targets.Kind#VALUES}), or nothing
 *                      ({@link Targets.Kind#NONE})
 * @param scaleFeatures whether features are divided by the file's largest feature value when that exceeds 1
 *                      (brings grey levels into [0, 1]; depends on the file, so turn it off when the features
 *                      are standardized with statistics that must apply to other files)
 */
public record CsvFormat(List<String> targetColumns, Targets.Kind targets, boolean scaleFeatures) {
    /** Features then an integer class label in the last column, features scaled: the classic format. */
    public static final CsvFormat LABEL_LAST = new CsvFormat(List.of("-1"), Targets.Kind.CLASSES, true);

    /**
     * Checks that the columns suit the kind of targets.
     *
     * @throws IllegalArgumentException when no-target formats name columns, other formats name none, class labels
     *                                  name more than one, or a column is blank
     */
    public CsvFormat {
        targetColumns = List.copyOf(targetColumns);
        if (targets == Targets.Kind.NONE && !targetColumns.isEmpty()) {
            throw new IllegalArgumentException("a CSV format without targets cannot name target columns " + targetColumns);
        }
        if (targets != Targets.Kind.NONE && targetColumns.isEmpty()) {
            throw new IllegalArgumentException("a CSV format with " + targets + " targets needs at least one target column");
        }
        if (targets == Targets.Kind.CLASSES && targetColumns.size() != 1) {
            throw new IllegalArgumentException("class labels come from one column, not " + targetColumns.size() + " " + targetColumns);
        }
        for (String c : targetColumns) {
            if (c == null || c.isBlank()) throw new IllegalArgumentException("a target column is blank in " + targetColumns);
        }
    }

    /**
     * Class labels in one column, features scaled.
     *
     * @param column a 0-based index (negative from the end) or a header name
     * @return the format
     */
    public static CsvFormat labels(String column) {
        return new CsvFormat(List.of(column), Targets.Kind.CLASSES, true);
    }

    /**
     * Float targets in some columns, features scaled.
     *
     * @param columns 0-based indices (negative from the end) or header names
     * @return the format
     */
    public static CsvFormat values(List<String> columns) {
        return new CsvFormat(columns, Targets.Kind.VALUES, true);
    }

    /** {@return the format with every column a feature and no targets, features scaled} */
    public static CsvFormat featuresOnly() {
        return new CsvFormat(List.of(), Targets.Kind.NONE, true);
    }

    /**
     * This format with feature scaling on or off.
     *
     * @param scale whether to divide features by the file's largest feature value when that exceeds 1
     * @return the format
     */
    public CsvFormat scaled(boolean scale) {
        return new CsvFormat(targetColumns, targets, scale);
    }
}

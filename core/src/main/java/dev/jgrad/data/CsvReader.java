package dev.jgrad.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads examples from a CSV file, plain or gzipped (recognised by the gzip magic bytes).
 *
 * <p>Format: one example per line, comma-separated; every row has the same number of columns. Which columns
 * are targets is a {@link CsvFormat}: by default ({@link CsvFormat#LABEL_LAST}) the feature values come first
 * and the integer label last (at least two columns); target columns can also be chosen by index or header
 * name and hold float values (regression, multi-label), or there can be none. Values are plain decimal numbers (digits,
 * sign, point, exponent; no quoting, no NaN or infinity); spaces around a value are ignored, blank lines
 * are skipped. The first non-blank line is taken as a header and skipped only when <em>none</em> of its
 * fields is a number; a first line with some numbers is data, and any non-number in it is an error.
 * Labels must be integers from 0 up to (not including) {@value #MAX_CLASSES}; the class count is the
 * largest label + 1. The header line names the columns that {@link CsvFormat#targetColumns()} may name.
 *
 * <p>Scaling: if the largest feature value in the file is greater than 1, every feature value is
 * divided by that largest value (so non-negative data such as grey levels 0–16 lands in [0, 1]);
 * otherwise the values are kept as they are. Negative values are never shifted. Targets are never scaled,
 * and a format may turn feature scaling off ({@link CsvFormat#scaleFeatures()}).
 */
public final class CsvReader {
    /** Bounds the output layer a label can ask for, so that one stray huge label cannot allocate gigabytes. */
    public static final int MAX_CLASSES = 65536;

    /** A UTF-8 byte-order mark, which some editors put at the start of a file: skipped. */
    private static final String BOM = "\uFEFF";

    private CsvReader() {}

    /**
     * Reads a CSV file of features then a label for training: with {@code classes} &gt; 0 every label must
     * be below it and it is the class count; with 0 the count is inferred, and a class below the largest
     * label without an example is a {@link LabelGapException} naming the line of that label.
     *
     * @param file    the file, plain or gzipped
     * @param classes the class count, or 0 to infer it from the labels
     * @return its examples, named after the file
     * @throws DataFormatException when the source cannot be read or breaks the format, or a label is out of
     *                             range or leaves a gap; the message names the source, the line and the problem
     */
    public static Dataset read(Path file, int classes) throws DataFormatException {
        Dataset d = read(file, CsvFormat.LABEL_LAST);
        int count = Labels.classes(d.labels(), classes, file.toString(), row -> "line " + lineOfRow(file, row));
        return new Dataset(d.name(), d.features(), d.labels(), d.size(), d.featureCount(), count);
    }

    /** The line number of data row {@code row} (0-based), for a message; found by reading the file again. */
    private static String lineOfRow(Path file, int row) {
        try (InputStream in = DataInput.open(file).in()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            boolean sawAnyLine = false;
            int rows = 0;
            long lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith(BOM)) line = line.substring(1);
                if (line.isBlank()) continue;
                boolean first = !sawAnyLine;
                sawAnyLine = true;
                if (first && isHeader(split(line))) continue;
                if (rows++ == row) return Long.toString(lineNumber);
            }
        } catch (IOException e) {
            // the row number alone, below
        }
        return "? (data row " + (row + 1) + ")";
    }

    /**
     * Reads a CSV file of features then a label ({@link CsvFormat#LABEL_LAST}).
     *
     * @param file the file, plain or gzipped
     * @return its examples, named after the file
     * @throws DataFormatException when the source cannot be read or breaks the format; the message names the
     *                             source, the line and the problem
     */
    public static Dataset read(Path file) throws DataFormatException {
        return read(file, CsvFormat.LABEL_LAST);
    }

    /**
     * Reads a CSV file whose columns are laid out as a format says.
     *
     * @param file   the file, plain or gzipped
     * @param format which columns are targets and what they hold
     * @return its examples, named after the file
     * @throws DataFormatException when the source cannot be read or breaks the format; the message names the
     *                             source, the line and the problem
     */
    public static Dataset read(Path file, CsvFormat format) throws DataFormatException {
        try {
            DataInput.Opened opened = DataInput.open(file);
            try (InputStream in = opened.in()) {
                return parse(in, file.toString(), String.valueOf(file.getFileName()), format);
            }
        } catch (DataFormatException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file + ": truncated or corrupt gzip data: " + DataInput.oneLine(e));
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + DataInput.oneLine(e));
        }
    }

    /**
     * Reads CSV from a stream (plain or gzipped); {@code source} names it in error messages and becomes
     * the dataset's name. The stream is not closed. The columns are features then a label.
     *
     * @param stream the CSV text, plain or gzipped
     * @param source names the stream in messages, and the dataset
     * @return its examples
     * @throws DataFormatException when the source cannot be read or breaks the format; the message names the
     *                             source, the line and the problem
     */
    public static Dataset read(InputStream stream, String source) throws DataFormatException {
        return read(stream, source, CsvFormat.LABEL_LAST);
    }

    /**
     * As {@link #read(InputStream, String)}, with the columns laid out as a format says.
     *
     * @param stream the CSV text, plain or gzipped
     * @param source names the stream in messages, and the dataset
     * @param format which columns are targets and what they hold
     * @return its examples
     * @throws DataFormatException when the source cannot be read or breaks the format; the message names the
     *                             source, the line and the problem
     */
    public static Dataset read(InputStream stream, String source, CsvFormat format) throws DataFormatException {
        try {
            return parse(DataInput.wrap(stream).in(), source, source, format);
        } catch (DataFormatException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(source + ": truncated or corrupt gzip data: " + DataInput.oneLine(e));
        } catch (IOException e) {
            throw new DataFormatException(source + ": cannot read: " + DataInput.oneLine(e));
        }
    }

    private static Dataset parse(InputStream in, String source, String name, CsvFormat format) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        FloatList features = new FloatList(source);
        FloatList values = new FloatList(source);
        int[] labels = new int[1024];
        boolean[] isTarget = null;
        int[] targetOrder = null;
        String[] header = null;
        int rows = 0;
        int columns = -1;
        boolean sawAnyLine = false;
        float maxFeature = Float.NEGATIVE_INFINITY;
        int maxLabel = -1;
        String line;
        long lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith(BOM)) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            boolean firstLine = !sawAnyLine;
            sawAnyLine = true;
            String[] fields = split(line);
            int count = fields.length;
            if (firstLine && isHeader(fields)) {
                header = fields;
                continue;
            }
            if (columns < 0) {
                int least = format.targets() == Targets.Kind.NONE ? 1 : format.targetColumns().size() + 1;
                if (count < least) {
                    throw new DataFormatException(source + ": line " + lineNumber + " has " + count + " column" + (count == 1 ? "" : "s")
                            + "; expected feature values and " + describeTargets(format));
                }
                if (header != null && header.length != count) {
                    throw new DataFormatException(source + ": the header names " + header.length + " columns, line " + lineNumber
                            + " has " + count);
                }
                columns = count;
                targetOrder = resolveTargets(format, header, columns, source);
                isTarget = new boolean[columns];
                for (int c : targetOrder) isTarget[c] = true;
            } else if (count != columns) {
                throw new DataFormatException(source + ": line " + lineNumber + " has " + count
                        + " columns, earlier rows have " + columns);
            }
            for (int c = 0; c < columns; c++) {
                if (isTarget[c]) continue;
                float value = parseValue(fields[c], source, lineNumber, c + 1);
                features.add(value);
                maxFeature = Math.max(maxFeature, value);
            }
            if (format.targets() == Targets.Kind.CLASSES) {
                int column = targetOrder[0];
                int label = parseLabel(fields[column], source, lineNumber, column + 1);
                maxLabel = Math.max(maxLabel, label);
                if (rows == labels.length) {
                    labels = Arrays.copyOf(labels, (int) Math.min(DataInput.MAX_ARRAY, 2L * labels.length));
                }
                labels[rows] = label;
            } else {
                for (int c : targetOrder) values.add(parseValue(fields[c], source, lineNumber, c + 1));
            }
            rows++;
        }
        if (!sawAnyLine) {
            throw new DataFormatException(source + ": is empty");
        }
        if (rows == 0) {
            throw new DataFormatException(source + ": has a header line but no data rows");
        }
        float[] featureValues = features.toArray();
        if (format.scaleFeatures() && maxFeature > 1f) {
            for (int i = 0; i < featureValues.length; i++) {
                featureValues[i] /= maxFeature;
            }
        }
        int featureCount = columns - targetOrder.length;
        Targets targets = switch (format.targets()) {
            case CLASSES -> new Targets.Classes(Arrays.copyOf(labels, rows), maxLabel + 1);
            case VALUES -> new Targets.Values(values.toArray(), targetOrder.length);
            case NONE -> new Targets.None();
        };
        return new Dataset(name, featureValues, rows, featureCount, targets);
    }

    private static String describeTargets(CsvFormat format) {
        return switch (format.targets()) {
            case CLASSES -> "a label";
            case VALUES -> format.targetColumns().size() + " target column" + (format.targetColumns().size() == 1 ? "" : "s");
            case NONE -> "no targets";
        };
    }

    /** The 0-based columns of the format's targets, in the format's order; every name or index must exist once. */
    private static int[] resolveTargets(CsvFormat format, String[] header, int columns, String source) throws DataFormatException {
        List<String> wanted = format.targetColumns();
        int[] out = new int[wanted.size()];
        boolean[] seen = new boolean[columns];
        for (int k = 0; k < out.length; k++) {
            String spec = wanted.get(k).strip();
            int column;
            if (looksNumeric(spec)) {
                int index;
                try {
                    index = Integer.parseInt(spec);
                } catch (NumberFormatException e) {
                    throw new DataFormatException(source + ": target column '" + shorten(spec) + "' is neither an integer index nor a header name");
                }
                column = index < 0 ? columns + index : index;
                if (column < 0 || column >= columns) {
                    throw new DataFormatException(source + ": target column " + index + " is outside the file's " + columns
                            + " columns (0.." + (columns - 1) + ", or -1.." + (-columns) + " from the end)");
                }
            } else {
                if (header == null) {
                    throw new DataFormatException(source + ": target column '" + shorten(spec) + "' is a name, but the file has no header row;"
                            + " give the column's 0-based index");
                }
                column = -1;
                for (int c = 0; c < header.length; c++) {
                    if (header[c].equals(spec)) {
                        column = c;
                        break;
                    }
                }
                if (column < 0) {
                    throw new DataFormatException(source + ": no column is named '" + shorten(spec) + "'; the header has "
                            + shorten(String.join(",", header)));
                }
            }
            if (seen[column]) throw new DataFormatException(source + ": target column " + column + " is named twice");
            seen[column] = true;
            out[k] = column;
        }
        if (out.length == columns) throw new DataFormatException(source + ": every column is a target; at least one must be a feature");
        return out;
    }

    /** Splits on commas; fields are trimmed. */
    private static String[] split(String line) {
        int count = 1;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            count++;
        }
        String[] fields = new String[count];
        int start = 0;
        for (int f = 0; f < count; f++) {
            int end = line.indexOf(',', start);
            if (end < 0) {
                end = line.length();
            }
            fields[f] = line.substring(start, end).strip();
            start = end + 1;
        }
        return fields;
    }

    private static boolean isHeader(String[] fields) {
        for (String field : fields) {
            if (looksNumeric(field)) {
                return false;
            }
        }
        return true;
    }

    /** Only digits, signs, a point and an exponent: rejects what Float.parseFloat would also take (NaN, 0x1p3, 1f). */
    private static boolean looksNumeric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return digit;
    }

    private static float parseValue(String text, String source, long line, int column) throws DataFormatException {
        if (looksNumeric(text)) {
            try {
                float value = Float.parseFloat(text);
                if (Float.isFinite(value)) {
                    return value;
                }
                throw new DataFormatException(source + ": line " + line + ", column " + column + ": value '"
                        + text + "' is beyond the float range");
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new DataFormatException(source + ": line " + line + ", column " + column + ": "
                + (text.isEmpty() ? "empty value" : "value '" + shorten(text) + "' is not a number"));
    }

    private static int parseLabel(String text, String source, long line, int column) throws DataFormatException {
        int label;
        try {
            label = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            String problem = text.isEmpty() ? "the label is empty"
                    : looksNumeric(text) ? "label '" + shorten(text) + "' is not an integer"
                    : "label '" + shorten(text) + "' is not a number";
            throw new DataFormatException(source + ": line " + line + ", column " + column + ": " + problem);
        }
        if (label < 0 || label >= MAX_CLASSES) {
            throw new DataFormatException(source + ": line " + line + ", column " + column + ": label " + label
                    + " is out of range 0.." + (MAX_CLASSES - 1));
        }
        return label;
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "…";
    }

    /** A float array that grows as values arrive. */
    private static final class FloatList {
        private final String source;
        private float[] values = new float[1 << 14];
        private int size;

        FloatList(String source) {
            this.source = source;
        }

        void add(float value) throws DataFormatException {
            if (size == values.length) {
                if (size == DataInput.MAX_ARRAY) {
                    throw new DataFormatException(source + ": more than " + DataInput.MAX_ARRAY
                            + " feature values, too many to hold");
                }
                values = Arrays.copyOf(values, (int) Math.min(DataInput.MAX_ARRAY, 2L * size));
            }
            values[size++] = value;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

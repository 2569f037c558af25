package dev.jgrad.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Counts of (actual class, predicted class) pairs, and the classification metrics derived from them:
 * accuracy, per-class precision, recall and F1 (scikit-learn's definitions: a ratio with a zero
 * denominator is 0), their macro and support-weighted averages. {@link #format} prints the report
 * {@code jgrad eval} shows.
 */
public final class ConfusionMatrix {
    private final int classes;
    /** counts[actual][predicted]. */
    private final long[][] counts;

    /**
     * An empty matrix.
     *
     * @param classes the number of classes, 1 or more; class indices are 0 .. classes-1
     * @throws IllegalArgumentException when {@code classes} is below 1
     */
    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + classes);
        this.classes = classes;
        this.counts = new long[classes][classes];
    }

    /**
     * The matrix of a set of predictions.
     *
     * @param classes   the number of classes
     * @param actual    each example's true class
     * @param predicted each example's predicted class, in the same order
     * @return the filled matrix
     * @throws IllegalArgumentException when the arrays' lengths differ or a class is outside [0, classes)
     */
    public static ConfusionMatrix of(int classes, int[] actual, int[] predicted) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        m.addAll(actual, predicted);
        return m;
    }

    /**
     * The matrix of the arg-max of each row of scores.
     *
     * @param classes the number of classes (the scores' row length)
     * @param scores  [examples, classes] row-major logits or probabilities
     * @param actual  each example's true class; its length is the number of examples
     * @return the filled matrix
     * @throws IllegalArgumentException when the lengths disagree or a class is out of range
     */
    public static ConfusionMatrix fromScores(int classes, float[] scores, int[] actual) {
        return of(classes, actual, argmax(scores, actual.length, classes));
    }

    /**
     * The index of the largest value of each row (the first on ties): a classifier's predictions from its scores.
     *
     * @param x    [rows, cols] row-major values
     * @param rows the number of rows
     * @param cols the row length
     * @return for each row, the column of its largest value
     * @throws IllegalArgumentException when {@code x} does not hold {@code rows * cols} values
     */
    public static int[] argmax(float[] x, int rows, int cols) {
        if ((long) rows * cols != x.length) {
            throw new IllegalArgumentException(x.length + " scores are not " + rows + " rows of " + cols);
        }
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < cols; j++) if (x[r * cols + j] > x[r * cols + best]) best = j;
            out[r] = best;
        }
        return out;
    }

    /**
     * Counts one example.
     *
     * @param actual    its true class
     * @param predicted its predicted class
     * @throws IllegalArgumentException when a class is outside [0, classes)
     */
    public void add(int actual, int predicted) {
        if (actual < 0 || actual >= classes || predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("class pair (" + actual + ", " + predicted + ") outside [0, " + classes + ")");
        }
        counts[actual][predicted]++;
    }

    /**
     * Counts a set of examples.
     *
     * @param actual    each example's true class
     * @param predicted each example's predicted class, in the same order
     * @throws IllegalArgumentException when the lengths differ or a class is outside [0, classes)
     */
    public void addAll(int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " labels but " + predicted.length + " predictions");
        }
        for (int i = 0; i < actual.length; i++) add(actual[i], predicted[i]);
    }

    /** {@return the number of classes} */
    public int classes() {
        return classes;
    }

    /**
     * One cell of the matrix.
     *
     * @param actual    the true class
     * @param predicted the predicted class
     * @return how many examples of class {@code actual} were predicted as {@code predicted}
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** {@return the number of examples counted} */
    public long total() {
        long n = 0;
        for (long[] row : counts) for (long v : row) n += v;
        return n;
    }

    /** {@return the number of examples predicted as their true class (the diagonal's sum)} */
    public long correct() {
        long n = 0;
        for (int c = 0; c < classes; c++) n += counts[c][c];
        return n;
    }

    /** {@return the fraction of examples predicted correctly, in [0, 1] (0 when there are none)} */
    public double accuracy() {
        long t = total();
        return t == 0 ? 0 : (double) correct() / t;
    }

    /**
     * The support of a class.
     *
     * @param c the class
     * @return the number of examples whose true class is {@code c}
     */
    public long support(int c) {
        long n = 0;
        for (int p = 0; p < classes; p++) n += counts[c][p];
        return n;
    }

    private long predictedAs(int c) {
        long n = 0;
        for (int a = 0; a < classes; a++) n += counts[a][c];
        return n;
    }

    /**
     * The precision of a class.
     *
     * @param c the class
     * @return of the examples predicted as {@code c}, the fraction that are {@code c} (0 when none is predicted so)
     */
    public double precision(int c) {
        long p = predictedAs(c);
        return p == 0 ? 0 : (double) counts[c][c] / p;
    }

    /**
     * The recall of a class.
     *
     * @param c the class
     * @return of the examples of class {@code c}, the fraction predicted as {@code c} (0 when there are none)
     */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) counts[c][c] / s;
    }

    /**
     * The F1 score of a class.
     *
     * @param c the class
     * @return the harmonic mean of its precision and recall (0 when both are 0)
     */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** {@return the unweighted mean of the classes' F1 scores} */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < classes; c++) s += f1(c);
        return s / classes;
    }

    /** {@return the unweighted mean of the classes' precisions} */
    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < classes; c++) s += precision(c);
        return s / classes;
    }

    /** {@return the unweighted mean of the classes' recalls} */
    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < classes; c++) s += recall(c);
        return s / classes;
    }

    /** {@return the classes' F1 scores averaged with each weighted by its support (0 with no examples)} */
    public double weightedF1() {
        long t = total();
        if (t == 0) return 0;
        double s = 0;
        for (int c = 0; c < classes; c++) s += f1(c) * support(c);
        return s / t;
    }

    /** {@return the report of {@link #format(List)} with the classes named by their numbers} */
    public String format() {
        return format(null);
    }

    /**
     * A plain-text report: accuracy, a per-class table of precision, recall, F1 and support, the macro
     * and weighted averages, then the matrix itself (rows actual, columns predicted).
     *
     * @param names the classes' names by index; null, or a class beyond its end, is named by its number
     * @return the report, several lines, each ending in a line separator
     */
    public String format(List<String> names) {
        StringBuilder s = new StringBuilder();
        int nameWidth = 12;
        for (int c = 0; c < classes; c++) nameWidth = Math.max(nameWidth, name(names, c).length());
        s.append(String.format(Locale.ROOT, "accuracy: %.4f (%d of %d)%n%n", accuracy(), correct(), total()));
        s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < classes; c++) {
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9.4f %9.4f %9.4f %9d%n", name(names, c), precision(c), recall(c),
                    f1(c), support(c)));
        }
        s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9.4f %9.4f %9.4f %9d%n", "macro avg", macroPrecision(), macroRecall(),
                macroF1(), total()));
        s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9s %9s %9.4f %9d%n%n", "weighted avg", "", "", weightedF1(), total()));
        long max = 1;
        for (long[] row : counts) for (long v : row) max = Math.max(max, v);
        int w = Math.max(String.valueOf(max).length(), String.valueOf(classes - 1).length()) + 1;
        s.append("confusion matrix (rows: actual, columns: predicted)\n");
        s.append(" ".repeat(nameWidth));
        for (int c = 0; c < classes; c++) s.append(String.format(Locale.ROOT, "%" + w + "d", c));
        s.append('\n');
        for (int a = 0; a < classes; a++) {
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", name(names, a)));
            for (int p = 0; p < classes; p++) s.append(String.format(Locale.ROOT, "%" + w + "d", counts[a][p]));
            s.append('\n');
        }
        return s.toString();
    }

    private static String name(List<String> names, int c) {
        return names != null && c < names.size() ? c + " " + names.get(c) : String.valueOf(c);
    }
}

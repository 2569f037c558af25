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

    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + classes);
        this.classes = classes;
        this.counts = new long[classes][classes];
    }

    /** The matrix of predictions {@code predicted[i]} for examples of class {@code actual[i]}. */
    public static ConfusionMatrix of(int classes, int[] actual, int[] predicted) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        m.addAll(actual, predicted);
        return m;
    }

    /** The matrix of the arg-max of each row of {@code scores} [rows, classes] (logits or probabilities) against {@code actual}. */
    public static ConfusionMatrix fromScores(int classes, float[] scores, int[] actual) {
        return of(classes, actual, argmax(scores, actual.length, classes));
    }

    /** The index of the largest value of each row of x [rows, cols] (the first on ties). */
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

    public void add(int actual, int predicted) {
        if (actual < 0 || actual >= classes || predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("class pair (" + actual + ", " + predicted + ") outside [0, " + classes + ")");
        }
        counts[actual][predicted]++;
    }

    public void addAll(int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " labels but " + predicted.length + " predictions");
        }
        for (int i = 0; i < actual.length; i++) add(actual[i], predicted[i]);
    }

    public int classes() {
        return classes;
    }

    /** How many examples of class {@code actual} were predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) for (long v : row) n += v;
        return n;
    }

    public long correct() {
        long n = 0;
        for (int c = 0; c < classes; c++) n += counts[c][c];
        return n;
    }

    /** Fraction of examples predicted correctly (0 when there are none). */
    public double accuracy() {
        long t = total();
        return t == 0 ? 0 : (double) correct() / t;
    }

    /** Examples whose actual class is c. */
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

    /** Of the examples predicted as c, the fraction that are c. */
    public double precision(int c) {
        long p = predictedAs(c);
        return p == 0 ? 0 : (double) counts[c][c] / p;
    }

    /** Of the examples of class c, the fraction predicted as c. */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) counts[c][c] / s;
    }

    /** The harmonic mean of precision and recall of class c. */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroF1() {
        double s = 0;
        for (int c = 0; c < classes; c++) s += f1(c);
        return s / classes;
    }

    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < classes; c++) s += precision(c);
        return s / classes;
    }

    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < classes; c++) s += recall(c);
        return s / classes;
    }

    /** F1 averaged with each class weighted by its support. */
    public double weightedF1() {
        long t = total();
        if (t == 0) return 0;
        double s = 0;
        for (int c = 0; c < classes; c++) s += f1(c) * support(c);
        return s / t;
    }

    /** The report with classes numbered 0..classes-1. */
    public String format() {
        return format(null);
    }

    /**
     * A plain-text report: accuracy, a per-class table of precision, recall, F1 and support, the macro
     * and weighted averages, then the matrix itself (rows actual, columns predicted).
     * {@code names} labels the classes (null or too short: their numbers).
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

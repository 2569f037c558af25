package dev.jgrad.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Multi-label classification: each example has {@code labels} independent yes/no answers. Counts per label
 * true positives, false positives and false negatives, and per example whether every answer was right.
 * Metrics (scikit-learn's definitions, a ratio with a zero denominator is 0): per-label precision, recall and
 * F1; macro F1 (mean over labels); micro F1 (from the summed counts); exact match (the fraction of examples
 * with every label right, scikit-learn's subset accuracy); Hamming accuracy (the fraction of answers right).
 */
public final class MultiLabelMetrics {
    private final int labels;
    private final long[] truePositive;
    private final long[] falsePositive;
    private final long[] falseNegative;
    private long examples;
    private long exact;

    /**
     * Empty counts.
     *
     * @param labels answers per example (at least 1)
     */
    public MultiLabelMetrics(int labels) {
        if (labels < 1) throw new IllegalArgumentException("multi-label metrics need at least one label, got " + labels);
        this.labels = labels;
        this.truePositive = new long[labels];
        this.falsePositive = new long[labels];
        this.falseNegative = new long[labels];
    }

    /**
     * Adds {@code rows} examples: {@code actual} holds 0/1 targets (any value above 0.5 is a yes) and
     * {@code scores} the model's logits, both [rows, labels]; a logit above 0 (a probability above 0.5) is a yes.
     *
     * @param actual 0/1 targets, [rows, labels] row-major
     * @param scores the model's logits, [rows, labels] row-major
     * @param rows   the number of examples to add
     */
    public void addLogits(float[] actual, float[] scores, int rows) {
        long need = (long) rows * labels;
        if (actual.length < need || scores.length < need) {
            throw new IllegalArgumentException(rows + " rows of " + labels + " labels need " + need + " values; got "
                    + actual.length + " targets and " + scores.length + " scores");
        }
        for (int r = 0; r < rows; r++) {
            boolean all = true;
            for (int j = 0; j < labels; j++) {
                boolean yes = actual[r * labels + j] > 0.5f;
                boolean said = scores[r * labels + j] > 0f;
                if (yes && said) truePositive[j]++;
                else if (said) falsePositive[j]++;
                else if (yes) falseNegative[j]++;
                all &= yes == said;
            }
            if (all) exact++;
        }
        examples += rows;
    }

    /** {@return the number of answers per example} */
    public int labels() {
        return labels;
    }

    /** {@return the number of examples added so far} */
    public long count() {
        return examples;
    }

    /**
     * The precision of one label.
     *
     * @param j the label's index
     * @return of the examples answered yes for label {@code j}, the fraction whose target is yes (0 when none)
     */
    public double precision(int j) {
        long p = truePositive[j] + falsePositive[j];
        return p == 0 ? 0 : (double) truePositive[j] / p;
    }

    /**
     * The recall of one label.
     *
     * @param j the label's index
     * @return of the examples whose target for label {@code j} is yes, the fraction answered yes (0 when none)
     */
    public double recall(int j) {
        long s = truePositive[j] + falseNegative[j];
        return s == 0 ? 0 : (double) truePositive[j] / s;
    }

    /**
     * The F1 score of one label.
     *
     * @param j the label's index
     * @return the harmonic mean of its precision and recall (0 when both are 0)
     */
    public double f1(int j) {
        long d = 2 * truePositive[j] + falsePositive[j] + falseNegative[j];
        return d == 0 ? 0 : 2.0 * truePositive[j] / d;
    }

    /** {@return the unweighted mean of the labels' F1 scores} */
    public double macroF1() {
        double s = 0;
        for (int j = 0; j < labels; j++) s += f1(j);
        return s / labels;
    }

    /** {@return F1 from the true positives, false positives and false negatives summed over the labels} */
    public double microF1() {
        long tp = 0, fp = 0, fn = 0;
        for (int j = 0; j < labels; j++) {
            tp += truePositive[j];
            fp += falsePositive[j];
            fn += falseNegative[j];
        }
        long d = 2 * tp + fp + fn;
        return d == 0 ? 0 : 2.0 * tp / d;
    }

    /** {@return the fraction of examples with every label right} */
    public double exactMatch() {
        return examples == 0 ? Double.NaN : (double) exact / examples;
    }

    /** {@return the fraction of single answers that are right} */
    public double hammingAccuracy() {
        if (examples == 0) return Double.NaN;
        long wrong = 0;
        for (int j = 0; j < labels; j++) wrong += falsePositive[j] + falseNegative[j];
        return 1 - (double) wrong / (examples * labels);
    }

    /**
     * A plain-text report: exact match, Hamming accuracy, micro and macro F1, then per label precision, recall, F1
     * and support.
     *
     * @param names the labels' names by index; null (or too short) for their numbers
     * @return the report, several lines
     */
    public String format(List<String> names) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "exact match: %.4f, hamming accuracy %.4f, micro f1 %.4f, macro f1 %.4f (%d examples)%n%n",
                exactMatch(), hammingAccuracy(), microF1(), macroF1(), examples));
        int w = 8;
        for (int j = 0; j < labels; j++) w = Math.max(w, name(names, j).length());
        s.append(String.format(Locale.ROOT, "%-" + w + "s %9s %9s %9s %9s%n", "label", "precision", "recall", "f1", "support"));
        for (int j = 0; j < labels; j++) {
            s.append(String.format(Locale.ROOT, "%-" + w + "s %9.4f %9.4f %9.4f %9d%n", name(names, j), precision(j), recall(j), f1(j),
                    truePositive[j] + falseNegative[j]));
        }
        return s.toString();
    }

    private static String name(List<String> names, int j) {
        return names != null && j < names.size() ? names.get(j) : String.valueOf(j);
    }
}

package dev.jgrad.metrics;

import java.util.Locale;

/**
 * Error of predicted values against targets, per output column and overall, accumulated row by row in double
 * precision: mean squared error, its root, mean absolute error and the coefficient of determination R²
 * (scikit-learn's definitions: R² = 1 - SS_res / SS_tot per output; an output whose targets are all equal has
 * R² 1 when predicted exactly and 0 otherwise; the overall R² is the mean over outputs, scikit-learn's
 * {@code uniform_average}). The overall MSE and MAE are over every value, which is also the mean over outputs.
 * For an autoencoder the overall MSE is the reconstruction error.
 */
public final class RegressionMetrics {
    private final int outputs;
    private long rows;
    private final double[] sum;
    private final double[] sumSquares;
    private final double[] squaredError;
    private final double[] absoluteError;

    /**
     * Empty sums.
     *
     * @param outputs the number of values per example (at least 1)
     */
    public RegressionMetrics(int outputs) {
        if (outputs < 1) throw new IllegalArgumentException("regression metrics need at least one output, got " + outputs);
        this.outputs = outputs;
        this.sum = new double[outputs];
        this.sumSquares = new double[outputs];
        this.squaredError = new double[outputs];
        this.absoluteError = new double[outputs];
    }

    /**
     * The metrics of a set of predictions.
     *
     * @param outputs   the number of values per example
     * @param actual    the targets, [rows, outputs] row-major
     * @param predicted the predictions, the same shape
     * @return the metrics
     */
    public static RegressionMetrics of(int outputs, float[] actual, float[] predicted) {
        RegressionMetrics m = new RegressionMetrics(outputs);
        m.add(actual, predicted, actual.length / outputs);
        return m;
    }

    /**
     * Adds examples.
     *
     * @param actual    the targets, [rows, outputs] row-major (a longer array's tail is ignored)
     * @param predicted the predictions, the same layout
     * @param rows      the number of examples to add
     */
    public void add(float[] actual, float[] predicted, int rows) {
        long need = (long) rows * outputs;
        if (actual.length < need || predicted.length < need) {
            throw new IllegalArgumentException(rows + " rows of " + outputs + " outputs need " + need + " values; got "
                    + actual.length + " targets and " + predicted.length + " predictions");
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < outputs; j++) {
                double y = actual[r * outputs + j];
                double e = predicted[r * outputs + j] - y;
                sum[j] += y;
                sumSquares[j] += y * y;
                squaredError[j] += e * e;
                absoluteError[j] += Math.abs(e);
            }
        }
        this.rows += rows;
    }

    /** {@return the number of values per example} */
    public int outputs() {
        return outputs;
    }

    /** {@return the number of examples added so far} */
    public long count() {
        return rows;
    }

    /**
     * The mean squared error of one output.
     *
     * @param j the output's index
     * @return its mean squared error
     */
    public double mse(int j) {
        return rows == 0 ? Double.NaN : squaredError[j] / rows;
    }

    /**
     * The root mean squared error of one output.
     *
     * @param j the output's index
     * @return the square root of its mean squared error, in the targets' units
     */
    public double rmse(int j) {
        return Math.sqrt(mse(j));
    }

    /**
     * The mean absolute error of one output.
     *
     * @param j the output's index
     * @return its mean absolute error, in the targets' units
     */
    public double mae(int j) {
        return rows == 0 ? Double.NaN : absoluteError[j] / rows;
    }

    /**
     * The coefficient of determination of one output.
     *
     * @param j the output's index
     * @return 1 - SS_res / SS_tot: 1 for perfect predictions, 0 for predicting the mean, negative for worse
     */
    public double r2(int j) {
        if (rows == 0) return Double.NaN;
        double mean = sum[j] / rows;
        double total = Math.max(0, sumSquares[j] - rows * mean * mean);
        if (total == 0) return squaredError[j] == 0 ? 1 : 0;
        return 1 - squaredError[j] / total;
    }

    /** {@return the mean squared error over every value} */
    public double mse() {
        double s = 0;
        for (int j = 0; j < outputs; j++) s += mse(j);
        return s / outputs;
    }

    /** {@return the square root of {@link #mse()}} */
    public double rmse() {
        return Math.sqrt(mse());
    }

    /** {@return the mean absolute error over every value} */
    public double mae() {
        double s = 0;
        for (int j = 0; j < outputs; j++) s += mae(j);
        return s / outputs;
    }

    /** {@return R² averaged over the outputs} */
    public double r2() {
        double s = 0;
        for (int j = 0; j < outputs; j++) s += r2(j);
        return s / outputs;
    }

    /**
     * A plain-text report: the overall figures, then (for several outputs) one line per output.
     *
     * @param names the outputs' names by index; null (or too short) for their numbers
     * @return the report, several lines
     */
    public String format(java.util.List<String> names) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "mse %.6g, rmse %.6g, mae %.6g, r2 %.4f (%d examples, %d output%s)%n", mse(), rmse(), mae(), r2(),
                rows, outputs, outputs == 1 ? "" : "s"));
        if (outputs > 1) {
            int w = 8;
            for (int j = 0; j < outputs; j++) w = Math.max(w, name(names, j).length());
            s.append(String.format(Locale.ROOT, "%-" + w + "s %12s %12s %12s %9s%n", "output", "mse", "rmse", "mae", "r2"));
            for (int j = 0; j < outputs; j++) {
                s.append(String.format(Locale.ROOT, "%-" + w + "s %12.6g %12.6g %12.6g %9.4f%n", name(names, j), mse(j), rmse(j), mae(j), r2(j)));
            }
        }
        return s.toString();
    }

    private static String name(java.util.List<String> names, int j) {
        return names != null && j < names.size() ? names.get(j) : String.valueOf(j);
    }
}

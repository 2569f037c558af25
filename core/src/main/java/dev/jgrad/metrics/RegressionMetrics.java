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

    /** @param outputs the number of values per example (at least 1) */
    public RegressionMetrics(int outputs) {
        if (outputs < 1) throw new IllegalArgumentException("regression metrics need at least one output, got " + outputs);
        this.outputs = outputs;
        this.sum = new double[outputs];
        this.sumSquares = new double[outputs];
        this.squaredError = new double[outputs];
        this.absoluteError = new double[outputs];
    }

    /** The metrics of {@code predicted} against {@code actual}, both [rows, outputs] row-major. */
    public static RegressionMetrics of(int outputs, float[] actual, float[] predicted) {
        RegressionMetrics m = new RegressionMetrics(outputs);
        m.add(actual, predicted, actual.length / outputs);
        return m;
    }

    /** Adds {@code rows} examples: {@code actual} and {@code predicted} are [rows, outputs] row-major (at least). */
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

    public int outputs() {
        return outputs;
    }

    /** Examples added so far. */
    public long count() {
        return rows;
    }

    /** Mean squared error of output {@code j}. */
    public double mse(int j) {
        return rows == 0 ? Double.NaN : squaredError[j] / rows;
    }

    public double rmse(int j) {
        return Math.sqrt(mse(j));
    }

    /** Mean absolute error of output {@code j}. */
    public double mae(int j) {
        return rows == 0 ? Double.NaN : absoluteError[j] / rows;
    }

    /** R² of output {@code j}: 1 - SS_res / SS_tot. */
    public double r2(int j) {
        if (rows == 0) return Double.NaN;
        double mean = sum[j] / rows;
        double total = Math.max(0, sumSquares[j] - rows * mean * mean);
        if (total == 0) return squaredError[j] == 0 ? 1 : 0;
        return 1 - squaredError[j] / total;
    }

    /** Mean squared error over every value. */
    public double mse() {
        double s = 0;
        for (int j = 0; j < outputs; j++) s += mse(j);
        return s / outputs;
    }

    public double rmse() {
        return Math.sqrt(mse());
    }

    /** Mean absolute error over every value. */
    public double mae() {
        double s = 0;
        for (int j = 0; j < outputs; j++) s += mae(j);
        return s / outputs;
    }

    /** R² averaged over the outputs. */
    public double r2() {
        double s = 0;
        for (int j = 0; j < outputs; j++) s += r2(j);
        return s / outputs;
    }

    /** A plain-text report: the overall figures, then (for several outputs) one line per output named by {@code names} or number. */
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

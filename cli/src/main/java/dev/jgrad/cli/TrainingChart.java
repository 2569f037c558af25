package dev.jgrad.cli;

import dev.jgrad.bench.BenchChart;
import dev.jgrad.train.TrainingHistory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code jgrad train --chart}: the learning curves of a run, two panels stacked: the loss, and the task's main
 * metric, each on the training set beside the held-out set, per epoch. Drawn with JFreeChart and written as
 * {@code bench}'s charts are ({@link BenchChart#write(List, Path)}).
 */
final class TrainingChart {
    private static final Color TRAIN = new Color(0x4C72B0);
    private static final Color TEST = new Color(0xDD8452);

    private TrainingChart() {}

    static void write(TrainingHistory history, Path file, String dataName) throws IOException {
        if (history.isEmpty()) throw new IllegalArgumentException("nothing to chart: no epoch was trained");
        String metric = history.mainMetric();
        String subject = history.task().label() + " on " + dataName;
        BenchChart.write(List.of(panel(history, "loss", "loss (" + history.lossName() + ")", subject),
                panel(history, metric, metric, subject)), file);
    }

    private static JFreeChart panel(TrainingHistory history, String metric, String label, String subject) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("train", history.epochNumbers(), history.series(metric, true)));
        data.addSeries(series("test", history.epochNumbers(), history.series(metric, false)));
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis values = new NumberAxis(label);
        values.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, history.size() <= 40);
        lines.setSeriesPaint(0, TRAIN);
        lines.setSeriesPaint(1, TEST);
        lines.setSeriesStroke(0, new BasicStroke(2f));
        lines.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, epochs, values, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlineVisible(false);
        plot.setInsets(new RectangleInsets(4, 8, 4, 8));
        JFreeChart chart = new JFreeChart(label + ", train and test: " + subject, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYSeries series(String name, double[] x, double[] y) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < x.length; i++) if (Double.isFinite(y[i])) s.add(x[i], y[i]);
        return s;
    }
}

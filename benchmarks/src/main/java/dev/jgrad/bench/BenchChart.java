package dev.jgrad.bench;

import dev.jgrad.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The chart of a report: one grouped bar chart per suite, stacked in one image, a bar per device and case
 * at the median, so a reader compares the devices without the table. JFreeChart lays the charts out; the
 * image is SVG (through JFreeSVG) or PNG, chosen by the file's extension.
 */
public final class BenchChart {
    private static final int WIDTH = 1200;
    private static final int PANEL_HEIGHT = 360;
    private static final Color[] PALETTE = {
            new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52), new Color(0x8172B3), new Color(0x937860)};

    private BenchChart() {}

    /** The image format {@code file}'s extension asks for; anything but .svg and .png is bad input. */
    public enum Format {
        SVG, PNG;

        public static Format of(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".svg")) return SVG;
            if (name.endsWith(".png")) return PNG;
            throw new IllegalArgumentException("chart file '" + file + "' must end in .svg or .png");
        }
    }

    /** Writes the chart of {@code report} to {@code file} atomically. */
    public static void write(BenchReport report, Path file) throws IOException {
        Format.of(file);
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        List<JFreeChart> charts = charts(report);
        if (charts.isEmpty()) throw new IllegalArgumentException("nothing to chart: the report has no results");
        write(charts, file);
    }

    /**
     * Draws {@code charts} stacked, each {@value #WIDTH} wide and {@value #PANEL_HEIGHT} high, into {@code file}
     * atomically, as SVG or PNG by its extension ({@link Format#of}). Other charts of jgrad (training curves) are
     * written through here so that every image has the same size and format handling.
     */
    public static void write(List<JFreeChart> charts, Path file) throws IOException {
        Format format = Format.of(file);
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        int height = PANEL_HEIGHT * charts.size();
        byte[] bytes;
        if (format == Format.SVG) {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
            draw(charts, g);
            bytes = g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
        } else {
            BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                draw(charts, g);
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, image);
            bytes = out.toByteArray();
        }
        AtomicFiles.write(file, bytes);
    }

    private static void draw(List<JFreeChart> charts, Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, PANEL_HEIGHT * charts.size());
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, new Rectangle2D.Double(0, (double) i * PANEL_HEIGHT, WIDTH, PANEL_HEIGHT));
        }
    }

    /** One chart per suite that has results, in suite order. */
    static List<JFreeChart> charts(BenchReport report) {
        List<JFreeChart> out = new ArrayList<>();
        for (Suite suite : Suite.values()) {
            List<BenchResult> rows = report.results().stream().filter(r -> r.suite() == suite).toList();
            if (rows.isEmpty()) continue;
            out.add(chart(report, suite, rows, out.isEmpty()));
        }
        return out;
    }

    private static JFreeChart chart(BenchReport report, Suite suite, List<BenchResult> rows, boolean first) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> notTimed = new ArrayList<>();
        for (BenchResult r : rows) {
            data.addValue(r.ok() ? r.stats().median() : null, r.device(), r.caseName());
            if (!r.ok()) notTimed.add(r.device() + " " + r.caseName() + " " + r.status().name().toLowerCase(Locale.ROOT));
        }
        CategoryAxis cases = new CategoryAxis(null);
        cases.setMaximumCategoryLabelLines(2);
        cases.setCategoryMargin(0.12);
        // with one or two cases the bars would stand far apart across the whole width: keep them together
        int caseCount = data.getColumnCount();
        double sideMargin = caseCount == 1 ? 0.38 : caseCount == 2 ? 0.22 : 0.02;
        cases.setLowerMargin(sideMargin);
        cases.setUpperMargin(sideMargin);
        cases.setMaximumCategoryLabelWidthRatio(1.1f);   // labels may reach into the gap between categories
        cases.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        NumberAxis values = new NumberAxis(suite.unit() + " (higher is better)");
        values.setUpperMargin(0.12);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.04);
        bars.setMaximumBarWidth(0.12);
        bars.setDefaultItemLabelGenerator(new FigureLabels());
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        for (int i = 0; i < PALETTE.length; i++) bars.setSeriesPaint(i, PALETTE[i]);
        CategoryPlot plot = new CategoryPlot(data, cases, values, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlineVisible(false);
        plot.setInsets(new RectangleInsets(4, 8, 4, 8));
        String title = suite.id() + ": " + suite.unit() + ", median of " + report.config().repeats() + " repeats";
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (first) {
            chart.addSubtitle(new TextTitle("jgrad bench " + report.created().toString().substring(0, 10) + " on " + report.host(),
                    new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
            chart.addSubtitle(new TextTitle(report.devices().stream().map(d -> d.id() + " = " + d.name())
                    .collect(Collectors.joining("; ")), new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        }
        if (!notTimed.isEmpty()) {
            TextTitle note = new TextTitle("not timed (wrong result or error, see the table): " + String.join(", ", notTimed),
                    new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            note.setPaint(new Color(0xC44E52));
            chart.addSubtitle(note);
        }
        return chart;
    }

    /** Bar labels with about three significant figures, as the table prints them (0.0101, not 0). */
    private static final class FigureLabels extends StandardCategoryItemLabelGenerator {
        @Override
        public String generateLabel(CategoryDataset dataset, int row, int column) {
            Number v = dataset.getValue(row, column);
            return v == null ? null : ResultTable.figure(v.doubleValue());
        }
    }
}

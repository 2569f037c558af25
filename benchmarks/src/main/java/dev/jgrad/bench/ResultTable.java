package dev.jgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The text table of a report: one row per case and device, the devices of a case next to each other, with
 * the ratio of each median to the CPU's. Figures that were not timed say why under the table.
 */
public final class ResultTable {
    private static final String ROW = "%-12s %-22s %-10s %10s %10s %10s  %-10s %7s%n";

    private ResultTable() {}

    public static String format(BenchReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "SUITE", "CASE", "DEVICE", "MEDIAN", "MIN", "MAX", "UNIT", "vs CPU"));
        Map<String, List<BenchResult>> byCase = new LinkedHashMap<>();
        for (BenchResult r : report.results()) byCase.computeIfAbsent(r.suite() + "/" + r.caseName(), k -> new ArrayList<>()).add(r);
        List<String> notes = new ArrayList<>();
        for (List<BenchResult> rows : byCase.values()) {
            for (BenchResult r : rows) {
                if (r.ok()) {
                    OptionalDouble ratio = report.ratioToCpu(r);
                    out.append(String.format(Locale.ROOT, ROW, r.suite().id(), r.caseName(), r.device(), figure(r.stats().median()),
                            figure(r.stats().min()), figure(r.stats().max()), r.unit(),
                            ratio.isPresent() ? String.format(Locale.ROOT, "%.2fx", ratio.getAsDouble()) : "-"));
                } else {
                    out.append(String.format(Locale.ROOT, ROW, r.suite().id(), r.caseName(), r.device(), r.status().name(),
                            "-", "-", r.unit(), "-"));
                    notes.add(r.device() + " " + r.suite().id() + " " + r.caseName() + " " + r.status().name() + " (not timed): " + r.reason());
                }
            }
        }
        out.append(String.format(Locale.ROOT, "median of %d repeats; min and max over the same repeats; vs CPU = median / the cpu device's median%n",
                report.config().repeats()));
        for (String note : notes) out.append(note).append('\n');
        for (UnavailableDevice u : report.unavailable()) out.append("not benched: ").append(u.device()).append(": ").append(u.reason()).append('\n');
        return out.toString();
    }

    /** About three significant figures, without exponents. */
    static String figure(double v) {
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}

package dev.jgrad.cli;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.device.Devices;
import dev.jgrad.bench.BenchChart;
import dev.jgrad.bench.BenchConfig;
import dev.jgrad.bench.BenchReport;
import dev.jgrad.bench.DeviceComparison;
import dev.jgrad.bench.DeviceSelection;
import dev.jgrad.bench.ReportJson;
import dev.jgrad.bench.ResultTable;
import dev.jgrad.bench.Suite;
import dev.jgrad.io.OutputCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jgrad bench}: the same GEMM, elementwise, transfer and training work on every device asked for, each
 * figure checked against the CPU backend before it is timed; a table on stdout, progress on stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare devices: GEMM GFLOP/s, elementwise and transfer GB/s, and training samples/s of the reference MLP and CNN.",
                "Every figure's output is checked against the CPU backend first; a device that computes a wrong result is reported FAILED and not timed."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "all", paramLabel = "LIST",
            description = "all (default: every available device) or a list such as cpu,opencl:0,cuda:0.")
    String devices;

    @Option(names = "--suite", defaultValue = "all", paramLabel = "LIST",
            description = "all (default) or a list of gemm, elementwise, transfer, train.")
    String suite;

    @Option(names = "--sizes", paramLabel = "N,N,...",
            description = "Square GEMM sizes (default 128,256,512,1024; with --quick 64,128). The reference MLP's shapes are always added.")
    String sizes;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed repeats per figure; the figure is their median (default 5; with --quick 3).")
    Integer repeats;

    @Option(names = "--quick", description = "Small vectors, short repeats: a check that every device runs, in seconds; rough figures.")
    boolean quick;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report: every figure with median, min, max and repeats, or why it was not timed.")
    Path report;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Write a chart, a bar chart per suite: FILE.svg or FILE.png (may be given twice, for both).")
    List<Path> charts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        BenchConfig config = config();
        for (Path chart : charts) BenchChart.Format.of(chart);   // a bad extension fails before minutes of benching
        OutputCheck outputs = new OutputCheck().file("--report", report, 64 * 1024);
        for (Path chart : charts) outputs.file("--chart", chart, 64 * 1024);
        outputs.check();
        warnIfLong(config);
        List<Backend> backends = Devices.backends();
        DeviceSelection selection = DeviceSelection.parse(devices, backends);
        List<DeviceComparison.Candidate> candidates = new ArrayList<>();
        for (String spec : selection.specs()) {
            candidates.add(new DeviceComparison.Candidate(spec, () -> Devices.openSpec(spec, backends, line -> {})));
        }
        BenchReport result;
        Device reference = Devices.openSpec("cpu", backends, line -> {});
        try {
            result = DeviceComparison.run(candidates, selection.unavailable(), reference, config, System.err::println);
        } finally {
            reference.close();
        }
        if (!result.benchedAny()) {
            throw new DeviceUnavailableException("no device could be benched: " + String.join("; ",
                    result.unavailable().stream().map(u -> u.device() + ": " + u.reason()).toList()));
        }
        System.out.print(ResultTable.format(result));
        if (report != null) {
            ReportJson.write(result, report);
            System.out.println("wrote report " + report);
        }
        for (Path chart : charts) {
            BenchChart.write(result, chart);
            System.out.println("wrote chart " + chart);
        }
        return 0;
    }

    /** Figures assumed for the estimate: a CPU reference near this rate, and a repeat's GEMM timed this many times. */
    private static final double ESTIMATE_GFLOPS = 20;

    /**
     * Warns, with an estimate, when the GEMM sizes asked for take over a minute: each size is computed on the
     * CPU as the reference, then timed on every device for each repeat (with a warm-up).
     */
    private void warnIfLong(BenchConfig config) {
        if (sizes == null) return;
        double flop = 0;
        int runs = (repeats != null ? repeats : quick ? 3 : 5) + 2;
        for (int n : parseSizes(sizes)) flop += 2.0 * n * n * n;
        double seconds = flop * runs / (ESTIMATE_GFLOPS * 1e9);
        if (seconds > 60) {
            System.err.printf(java.util.Locale.ROOT, "bench: warning: --sizes %s means about %.0f GFLOP per device; at %.0f GFLOP/s"
                    + " (a CPU) that is about %s per device; Ctrl-C stops it%n", sizes, flop * runs / 1e9, ESTIMATE_GFLOPS, duration(seconds));
        }
    }

    private static String duration(double seconds) {
        if (seconds < 3600) return Math.round(seconds / 60) + " minutes";
        return String.format(java.util.Locale.ROOT, "%.1f hours", seconds / 3600);
    }

    BenchConfig config() {
        BenchConfig c = quick ? BenchConfig.quick() : BenchConfig.defaults();
        c = c.withSuites(Suite.parseList(suite));
        if (sizes != null) c = c.withGemmSizes(parseSizes(sizes));
        if (repeats != null) c = c.withRepeats(repeats);
        return c;
    }

    static List<Integer> parseSizes(String list) {
        List<Integer> out = new ArrayList<>();
        for (String tok : list.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(tok.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sizes '" + list + "': '" + tok.trim() + "' is not a size");
            }
            if (n < 1 || n > 16384) throw new IllegalArgumentException("--sizes '" + list + "': " + n + " is not in [1, 16384]");
            out.add(n);
        }
        return out;
    }
}

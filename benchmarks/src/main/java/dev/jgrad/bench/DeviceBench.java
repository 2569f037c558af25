package dev.jgrad.bench;

import dev.jgrad.device.Device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs every case of a {@link BenchConfig} on one device: first the case's output is compared with the CPU
 * reference's, and only a device that agrees is timed. The reference outputs are computed once per case and
 * reused for every device.
 */
public final class DeviceBench {
    private final Device reference;
    private final BenchConfig config;
    private final List<BenchCase> cases;
    private final Map<String, float[]> expected = new HashMap<>();

    public DeviceBench(Device reference, BenchConfig config) {
        this.reference = reference;
        this.config = config;
        this.cases = cases(config);
    }

    /** The cases a configuration runs, suite by suite. */
    public static List<BenchCase> cases(BenchConfig config) {
        List<BenchCase> out = new ArrayList<>();
        long seed = config.seed();
        if (config.runs(Suite.GEMM)) {
            for (int size : config.gemmSizes()) out.add(GemmCase.square(size, seed));
            out.addAll(GemmCase.mlpShapes(seed));
        }
        if (config.runs(Suite.ELEMENTWISE)) {
            for (ElementwiseCase.Kind k : ElementwiseCase.Kind.values()) out.add(new ElementwiseCase(k, config.elementwiseLength(), seed));
        }
        if (config.runs(Suite.TRANSFER)) {
            for (TransferCase.Direction d : TransferCase.Direction.values()) out.add(new TransferCase(d, config.transferLength(), seed));
        }
        if (config.runs(Suite.TRAIN)) {
            for (TrainCase.Network n : TrainCase.Network.values()) out.add(new TrainCase(n, seed));
        }
        return out;
    }

    public List<BenchCase> cases() {
        return cases;
    }

    /** Every case on {@code device}, each result passed to {@code progress} as soon as it is known. */
    public List<BenchResult> run(Device device, Consumer<BenchResult> progress) {
        List<BenchResult> out = new ArrayList<>();
        for (BenchCase c : cases) {
            BenchResult r = run(c, device);
            progress.accept(r);
            out.add(r);
        }
        return out;
    }

    /** One case: checked against the reference, then timed if it agreed. */
    public BenchResult run(BenchCase c, Device device) {
        String id = device.info().id();
        float[] want;
        try {
            want = expected(c);
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            return error(id, c, "the CPU reference failed: " + oneLine(e));
        }
        try (PreparedCase prepared = c.prepare(device, true)) {
            float[] got = prepared.checkedOutput();
            OutputCheck check = OutputCheck.compare(got, want, c.tolerance());
            if (!check.passed()) {
                return new BenchResult(id, c.suite(), c.name(), c.detail(), BenchResult.Status.FAILED, null,
                        check.maxError(), c.tolerance(), check.describe(got, want));
            }
            double[] seconds = Timing.secondsPerOp(device, prepared::run, config.repeats(), config.repeatSeconds(), config.warmupSeconds());
            double[] rates = new double[seconds.length];
            for (int i = 0; i < seconds.length; i++) rates[i] = c.workPerOp() / seconds[i];
            return new BenchResult(id, c.suite(), c.name(), c.detail(), BenchResult.Status.OK, Stats.of(rates),
                    check.maxError(), c.tolerance(), null);
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            return error(id, c, oneLine(e));
        }
    }

    private float[] expected(BenchCase c) {
        String key = c.suite() + "/" + c.name();
        float[] known = expected.get(key);
        if (known != null) return known;
        try (PreparedCase prepared = c.prepare(reference, false)) {
            float[] out = prepared.checkedOutput();
            expected.put(key, out);
            return out;
        }
    }

    private static BenchResult error(String device, BenchCase c, String reason) {
        return new BenchResult(device, c.suite(), c.name(), c.detail(), BenchResult.Status.ERROR, null, Double.NaN,
                c.tolerance(), reason);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
        return text.lines().findFirst().orElse("").trim();
    }
}

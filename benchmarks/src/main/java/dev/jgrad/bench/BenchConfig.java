package dev.jgrad.bench;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a bench run measures and how hard it tries.
 *
 * @param suites            the suites to run
 * @param gemmSizes         square GEMM sizes (the reference MLP's shapes are always added)
 * @param repeats           timed repeats per figure; the figure is their median
 * @param repeatSeconds     the time one repeat aims for: fast kernels run many times per repeat
 * @param warmupSeconds     the least time a figure warms up before its repeats (JIT compilation, caches, clocks)
 * @param elementwiseLength floats per operand of the elementwise ops
 * @param transferLength    floats per host-device copy
 * @param seed              seed of every input, so every device sees the same numbers
 */
public record BenchConfig(Set<Suite> suites, List<Integer> gemmSizes, int repeats, double repeatSeconds,
                          double warmupSeconds, int elementwiseLength, int transferLength, long seed) {

    public BenchConfig {
        suites = Set.copyOf(suites);
        gemmSizes = List.copyOf(new LinkedHashSet<>(gemmSizes));   // a size given twice is benched once
        if (suites.isEmpty()) throw new IllegalArgumentException("no suite to run");
        if (repeats < 1) throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
        for (int size : gemmSizes) {
            if (size < 1 || size > 16384) throw new IllegalArgumentException("GEMM size " + size + " is out of range [1, 16384]");
        }
        if (!(repeatSeconds > 0)) throw new IllegalArgumentException("repeat time must be positive, got " + repeatSeconds);
        if (!(warmupSeconds >= 0)) throw new IllegalArgumentException("warm-up time must not be negative, got " + warmupSeconds);
        if (elementwiseLength < 1) throw new IllegalArgumentException("elementwise length must be positive, got " + elementwiseLength);
        if (transferLength < 1) throw new IllegalArgumentException("transfer length must be positive, got " + transferLength);
    }

    /** The default run: finishes in about a minute per device on a 2-core machine. */
    public static BenchConfig defaults() {
        return new BenchConfig(EnumSet.allOf(Suite.class), List.of(128, 256, 512, 1024), 5, 0.1, 0.3, 1 << 24, 1 << 24, 1);
    }

    /** Small sizes and short repeats: checks that everything runs, in seconds; the figures are rough. */
    public static BenchConfig quick() {
        return new BenchConfig(EnumSet.allOf(Suite.class), List.of(64, 128), 3, 0.01, 0.1, 1 << 18, 1 << 18, 1);
    }

    public boolean runs(Suite suite) {
        return suites.contains(suite);
    }

    public BenchConfig withSuites(Set<Suite> s) {
        return new BenchConfig(s, gemmSizes, repeats, repeatSeconds, warmupSeconds, elementwiseLength, transferLength, seed);
    }

    public BenchConfig withGemmSizes(List<Integer> sizes) {
        return new BenchConfig(suites, sizes, repeats, repeatSeconds, warmupSeconds, elementwiseLength, transferLength, seed);
    }

    public BenchConfig withRepeats(int r) {
        return new BenchConfig(suites, gemmSizes, r, repeatSeconds, warmupSeconds, elementwiseLength, transferLength, seed);
    }
}

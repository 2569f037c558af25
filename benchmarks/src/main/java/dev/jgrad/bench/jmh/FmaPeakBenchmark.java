package dev.jgrad.bench.jmh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The machine's float32 multiply-add peak as Java reaches it: independent chains of vector FMAs on
 * registers, no memory traffic, with the machine's preferred vectors. The score is vector FMA instructions per
 * nanosecond; GFLOP/s = score x 2 x lanes (16 floats with AVX-512, 8 with AVX2). Run with {@code -t 1} for one
 * core and {@code -t 2} for two (JMH sums the threads' scores). This is the ceiling the GEMMs and training
 * figures in {@code RESULTS.md} are compared with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 1 << 16;
    /** Accumulators: more independent chains than FMA latency x pipes (4 x 2 on current x86 cores). */
    private static final int CHAINS = 12;

    /** Multiplier and addend keeping every chain finite and away from subnormals: x -> 0.999999 x + 1e-6. */
    public float scale = 0.999999f, shift = 1e-6f;

    /**
     * {@value #ITERATIONS} rounds of {@value #CHAINS} independent vector FMAs.
     *
     * @return the chains' sum, so that the work is not discarded
     */
    @Benchmark
    @OperationsPerInvocation(ITERATIONS * CHAINS)
    public float fma() {
        FloatVector a = FloatVector.broadcast(S, scale), b = FloatVector.broadcast(S, shift);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0.add(b), c2 = c1.add(b), c3 = c2.add(b), c4 = c3.add(b),
                c5 = c4.add(b), c6 = c5.add(b), c7 = c6.add(b), c8 = c7.add(b), c9 = c8.add(b), c10 = c9.add(b), c11 = c10.add(b);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}

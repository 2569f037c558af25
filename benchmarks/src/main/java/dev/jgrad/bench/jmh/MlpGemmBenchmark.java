package dev.jgrad.bench.jmh;

import dev.jgrad.device.Device;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The GEMMs of one training step of the reference MLP (784-512-256-10, batch 128), with the transposes
 * dev.jgrad.ops.Linear issues: forward y = x W^T (transB), backward dX = dY W (plain) and dW = dY^T X
 * (transA). Shape strings are "m,n,k,transA,transB"; the first layer's dX is never computed (the input
 * needs no gradient).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class MlpGemmBenchmark {
    @Param({
            "128,512,784,N,T", "128,256,512,N,T", "128,10,256,N,T",      // forward, layers 1-3
            "128,512,256,N,N", "128,256,10,N,N",                          // dX, layers 2-3
            "512,784,128,T,N", "256,512,128,T,N", "10,256,128,T,N"})      // dW, layers 1-3
    public String shape;

    private Device device;
    private GemmCheck gemm;

    @Setup(Level.Trial)
    public void setUp() {
        String[] f = shape.split(",");
        device = CpuDeviceState.open();
        gemm = new GemmCheck(device, Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                f[3].equals("T"), f[4].equals("T"), shape.hashCode());
        gemm.verify(device);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public void gemm() {
        gemm.run(device);
    }
}

package dev.jgrad.bench.jmh;

import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.ConvGeometry;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The reference CNN's two convolutions at batch 128, forward and backward, as the training step calls
 * them on the device: conv1 [128, 1, 28, 28] * [32, 1, 3, 3] (backward: weight and bias gradients only, as
 * the network's input needs none) and conv2 [128, 32, 13, 13] * [64, 32, 3, 3] (backward: all three).
 * GFLOP/s = 2 * multiply-adds / time; multiply-adds are n*oh*ow*f*c*9 per product (forward 1, backward 1
 * for conv1 and 2 for conv2). Before timing, the outputs are checked against {@link HostCnn}'s direct loops
 * in double: the whole forward output and all gradients, within 1e-4 relative L2.
 * Threads: -jvmArgsAppend -Djgrad.cpu.threads=N.
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvLayerBenchmark {
    @Param({"conv1", "conv2"})
    public String layer;

    private Device device;
    private ConvGeometry g;
    private Buffer x, w, b, y, gy, gx, gw, gb;

    @Setup(Level.Trial)
    public void setUp() {
        device = CpuDeviceState.open();
        g = layer.equals("conv1") ? new ConvGeometry(128, 1, 28, 28, 32, 3, 3, 1, 1, 0, 0)
                : new ConvGeometry(128, 32, 13, 13, 64, 3, 3, 1, 1, 0, 0);
        if (!device.kernels().hasConv2d()) throw new IllegalStateException(device.info().id() + " has no conv2d kernels");
        SplittableRandom rng = new SplittableRandom(3);
        int xn = g.n() * g.c() * g.h() * g.w(), wn = g.f() * g.patch(), yn = g.n() * g.f() * g.oh() * g.ow();
        float[] xh = random(xn, rng, 1), wh = random(wn, rng, (float) Math.sqrt(6.0 / g.patch())), bh = random(g.f(), rng, 0.1f);
        float[] gyh = random(yn, rng, 1e-3f);
        x = upload(xh);
        w = upload(wh);
        b = upload(bh);
        gy = upload(gyh);
        y = device.kernels().allocate(yn);
        gx = device.kernels().allocate(xn);
        gw = device.kernels().allocate(wn);
        gb = device.kernels().allocate(g.f());
        forward();
        backward();
        double[] xd = TrainingStepFixture.toDouble(xh), wd = TrainingStepFixture.toDouble(wh);
        double[] yRef = HostCnn.conv(xd, wd, TrainingStepFixture.toDouble(bh), g.n(), g.c(), g.h(), g.w(), g.f());
        double[] gxRef = new double[xn], gwRef = new double[wn], gbRef = new double[g.f()];
        HostCnn.convBackward(xd, wd, TrainingStepFixture.toDouble(gyh), g.n(), g.c(), g.h(), g.w(), g.f(), gxRef, gwRef, gbRef);
        TrainingStepFixture.check(layer + " forward", download(y, yn), yRef);
        TrainingStepFixture.check(layer + " weight gradient", download(gw, wn), gwRef);
        TrainingStepFixture.check(layer + " bias gradient", download(gb, g.f()), gbRef);
        if (g.c() > 1) TrainingStepFixture.check(layer + " input gradient", download(gx, xn), gxRef);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public void forward() {
        device.kernels().conv2d(g, x, w, b, UnaryOp.IDENTITY, 0f, y);
        device.synchronize();
    }

    @Benchmark
    public void backward() {
        device.kernels().conv2dBackward(g, x, w, gy, g.c() > 1 ? gx : null, false, gw, false, gb, false);
        device.synchronize();
    }

    private Buffer upload(float[] h) {
        Buffer buf = device.kernels().allocate(h.length);
        device.kernels().write(h, 0, buf, 0, h.length);
        return buf;
    }

    private double[] download(Buffer buf, int n) {
        float[] h = new float[n];
        device.kernels().read(buf, 0, h, 0, n);
        return TrainingStepFixture.toDouble(h);
    }

    private static float[] random(int n, SplittableRandom rng, float scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (rng.nextDouble() * 2 - 1) * scale;
        return out;
    }
}

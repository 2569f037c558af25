package dev.jgrad.bench;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * C[m, n] = op(A) op(B) through {@link dev.jgrad.spi.DeviceKernels#gemm}, overwriting C: 2mnk floating-point operations. Square
 * sizes show the kernel's peak; the reference MLP's shapes (784-512-256-10, batch 128) show what training
 * gets: the forward pass x W^T (B transposed), and the backward passes dX = dY W and dW = dY^T x (A transposed).
 */
public record GemmCase(String name, boolean transA, boolean transB, int m, int n, int k, long seed) implements BenchCase {

    /** The figures' tolerance: float32 sums in another order differ by far less for these sizes. */
    public static final double TOLERANCE = 1e-4;
    static final int MLP_BATCH = 128;
    static final int[] MLP_WIDTHS = {784, 512, 256, 10};

    public static GemmCase square(int size, long seed) {
        return new GemmCase("square " + size, false, false, size, size, size, seed);
    }

    /** Forward, input-gradient and weight-gradient GEMMs of the reference MLP's first two layers (the third is tiny). */
    public static List<GemmCase> mlpShapes(long seed) {
        List<GemmCase> out = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            int in = MLP_WIDTHS[layer];
            int outW = MLP_WIDTHS[layer + 1];
            String fc = "fc" + (layer + 1);
            out.add(mlp(fc + " fwd", false, true, MLP_BATCH, outW, in, seed));
            out.add(mlp(fc + " dX", false, false, MLP_BATCH, in, outW, seed));
            out.add(mlp(fc + " dW", true, false, outW, in, MLP_BATCH, seed));
        }
        return out;
    }

    /** Named by layer and pass, then m x n x k. */
    private static GemmCase mlp(String pass, boolean transA, boolean transB, int m, int n, int k, long seed) {
        return new GemmCase(pass + " " + m + "x" + n + "x" + k, transA, transB, m, n, k, seed);
    }

    @Override
    public Suite suite() {
        return Suite.GEMM;
    }

    @Override
    public String detail() {
        return String.format(Locale.ROOT, "C[%dx%d] = A%s[%dx%d] B%s[%dx%d], k=%d", m, n, transA ? "^T" : "",
                transA ? k : m, transA ? m : k, transB ? "^T" : "", transB ? n : k, transB ? k : n, k);
    }

    @Override
    public double workPerOp() {
        return 2.0 * m * n * k / 1e9;
    }

    @Override
    public double tolerance() {
        return TOLERANCE;
    }

    @Override
    public PreparedCase prepare(Device device, boolean rotate) {
        int sets = rotate ? Inputs.rotationSets(4L * ((long) m * k + (long) k * n + (long) m * n)) : 1;
        Buffer[] a = new Buffer[sets], b = new Buffer[sets], c = new Buffer[sets];
        try {
            for (int s = 0; s < sets; s++) {
                a[s] = upload(device, Inputs.uniform(seed, 3L * s, m * k));
                b[s] = upload(device, Inputs.uniform(seed, 3L * s + 1, k * n));
                c[s] = device.kernels().allocate(m * n);
            }
        } catch (RuntimeException | Error e) {
            Buffers.free(device, a, b, c);
            throw e;
        }
        return new PreparedCase() {
            @Override
            public float[] checkedOutput() {
                run(0);
                float[] out = new float[m * n];
                device.kernels().read(c[0], 0, out, 0, out.length);
                return out;
            }

            @Override
            public void run(int iteration) {
                int s = iteration % sets;
                device.kernels().gemm(transA, transB, m, n, k, a[s], b[s], c[s], false);
            }

            @Override
            public void close() {
                Buffers.free(device, a, b, c);
            }
        };
    }

    static Buffer upload(Device device, float[] data) {
        Buffer buf = device.kernels().allocate(data.length);
        device.kernels().write(data, 0, buf, 0, data.length);
        return buf;
    }
}

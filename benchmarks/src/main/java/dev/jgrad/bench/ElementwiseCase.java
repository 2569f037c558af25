package dev.jgrad.bench;

import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;

import java.util.Locale;

/**
 * A memory-bound pass over long vectors; its figure is bandwidth, counting every byte read and written:
 * {@code add} is out = a + b through {@link dev.jgrad.spi.DeviceKernels#binary} (two reads, one write), {@code axpby} is
 * y = 0.5 x + 0.5 y (two reads, one write, in place).
 */
public record ElementwiseCase(Kind kind, int length, long seed) implements BenchCase {

    /** Both ops round once per element, so every correct backend gives the same bits; the slack is for flush-to-zero. */
    public static final double TOLERANCE = 1e-6;
    private static final long BYTES_PER_ELEMENT = 12;

    public enum Kind { ADD, AXPBY }

    @Override
    public Suite suite() {
        return Suite.ELEMENTWISE;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String detail() {
        String op = kind == Kind.ADD ? "out = a + b (binary ADD)" : "y = 0.5*x + 0.5*y (axpby)";
        return String.format(Locale.ROOT, "%s over %d floats; %d bytes read + written per element", op, length, BYTES_PER_ELEMENT);
    }

    @Override
    public double workPerOp() {
        return BYTES_PER_ELEMENT * length / 1e9;
    }

    @Override
    public double tolerance() {
        return TOLERANCE;
    }

    @Override
    public PreparedCase prepare(Device device, boolean rotate) {
        int sets = rotate ? Inputs.rotationSets(BYTES_PER_ELEMENT * length) : 1;
        Buffer[] x = new Buffer[sets], y = new Buffer[sets], out = new Buffer[sets];
        try {
            for (int s = 0; s < sets; s++) {
                x[s] = GemmCase.upload(device, Inputs.uniform(seed, 3L * s, length));
                y[s] = GemmCase.upload(device, Inputs.uniform(seed, 3L * s + 1, length));
                if (kind == Kind.ADD) out[s] = device.kernels().allocate(length);
            }
        } catch (RuntimeException | Error e) {
            Buffers.free(device, x, y, out);
            throw e;
        }
        Broadcast full = Broadcast.full(length);
        return new PreparedCase() {
            @Override
            public float[] checkedOutput() {
                run(0);
                float[] result = new float[length];
                device.kernels().read(kind == Kind.ADD ? out[0] : y[0], 0, result, 0, length);
                return result;
            }

            @Override
            public void run(int iteration) {
                int s = iteration % sets;
                if (kind == Kind.ADD) device.kernels().binary(BinaryOp.ADD, length, x[s], full, y[s], full, out[s]);
                else device.kernels().axpby(length, 0.5f, x[s], 0.5f, y[s]);
            }

            @Override
            public void close() {
                Buffers.free(device, x, y, out);
            }
        };
    }
}

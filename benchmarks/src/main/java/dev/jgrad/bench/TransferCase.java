package dev.jgrad.bench;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;

import java.util.Locale;

/**
 * A copy of {@code length} floats between a Java array and a device buffer, through {@link dev.jgrad.spi.DeviceKernels#write}
 * (host to device) or {@link dev.jgrad.spi.DeviceKernels#read} (device to host). The host side is an ordinary (pageable) Java
 * array: the Device SPI has no pinned-memory transfers, so there is no pinned figure.
 */
public record TransferCase(Direction direction, int length, long seed) implements BenchCase {

    /** A copy must be exact. */
    public static final double TOLERANCE = 0;

    public enum Direction {
        HOST_TO_DEVICE("host to device"), DEVICE_TO_HOST("device to host");

        private final String label;

        Direction(String label) {
            this.label = label;
        }
    }

    @Override
    public Suite suite() {
        return Suite.TRANSFER;
    }

    @Override
    public String name() {
        return direction.label;
    }

    @Override
    public String detail() {
        return String.format(Locale.ROOT, "%s, %d floats (%d bytes) from/to a pageable Java float[]",
                direction == Direction.HOST_TO_DEVICE ? "Device.write" : "Device.read", length, 4L * length);
    }

    @Override
    public double workPerOp() {
        return 4.0 * length / 1e9;
    }

    @Override
    public double tolerance() {
        return TOLERANCE;
    }

    @Override
    public PreparedCase prepare(Device device, boolean rotate) {
        int sets = rotate ? Inputs.rotationSets(8L * length) : 1;
        float[][] host = new float[sets][];
        Buffer[] buf = new Buffer[sets];
        try {
            for (int s = 0; s < sets; s++) {
                host[s] = Inputs.uniform(seed, s, length);
                buf[s] = device.kernels().allocate(length);
                // the device-to-host direction reads what is already there
                if (direction == Direction.DEVICE_TO_HOST) device.kernels().write(host[s], 0, buf[s], 0, length);
            }
        } catch (RuntimeException | Error e) {
            Buffers.free(device, buf);
            throw e;
        }
        return new PreparedCase() {
            @Override
            public float[] checkedOutput() {
                float[] back = new float[length];
                if (direction == Direction.HOST_TO_DEVICE) {
                    device.kernels().fill(buf[0], length, 0f);
                    run(0);
                    device.kernels().read(buf[0], 0, back, 0, length);
                } else {
                    device.kernels().read(buf[0], 0, back, 0, length);
                }
                return back;
            }

            @Override
            public void run(int iteration) {
                int s = iteration % sets;
                if (direction == Direction.HOST_TO_DEVICE) device.kernels().write(host[s], 0, buf[s], 0, length);
                else device.kernels().read(buf[s], 0, host[s], 0, length);
            }

            @Override
            public void close() {
                Buffers.free(device, buf);
            }
        };
    }
}

package dev.jgrad.testing;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.DeviceKernels;

/** Runs one or more kernel calls on a device from host arrays and returns what every buffer holds afterwards. */
public final class KernelRun {
    private KernelRun() {}

    /** The kernel calls, given the device and one buffer per initial array (same order). */
    @FunctionalInterface
    public interface Call {
        void run(DeviceKernels device, Buffer[] buffers);
    }

    /**
     * Allocates a buffer per array, uploads it, runs {@code call}, reads every buffer back (inputs too, so a
     * kernel that writes into its inputs is caught) and frees them.
     */
    public static float[][] on(Device on, float[][] initial, Call call) {
        DeviceKernels device = on.kernels();
        Buffer[] buffers = new Buffer[initial.length];
        try {
            for (int i = 0; i < initial.length; i++) {
                buffers[i] = device.allocate(initial[i].length);
                device.write(initial[i], 0, buffers[i], 0, initial[i].length);
            }
            call.run(device, buffers);
            float[][] out = new float[initial.length][];
            for (int i = 0; i < initial.length; i++) {
                out[i] = new float[initial[i].length];
                device.read(buffers[i], 0, out[i], 0, out[i].length);
            }
            return out;
        } finally {
            for (Buffer b : buffers) if (b != null) device.free(b);
        }
    }
}

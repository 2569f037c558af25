package dev.jgrad.testing;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.DeviceKernels;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.SplittableRandom;

/**
 * A view of a device whose summing kernels (gemm, gemmBiasActivation, reduceSum) get seeded random
 * relative noise of up to {@code units} * U on every output element: a stand-in for another backend that
 * rounds differently, to measure how far such differences carry through training. Closing the view
 * frees what it allocated and leaves the device open.
 */
public final class NoisyDevice {
    private NoisyDevice() {}

    public static Device wrap(Device device, double units, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DeviceKernels kernels = device.kernels();
        return Device.of((DeviceKernels) Proxy.newProxyInstance(DeviceKernels.class.getClassLoader(),
                new Class<?>[]{DeviceKernels.class}, (proxy, method, args) -> {
            if (method.getName().equals("close")) return null;
            Object result;
            try {
                result = method.invoke(kernels, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Buffer out = null;
            int n = 0;
            switch (method.getName()) {
                case "gemm" -> { out = (Buffer) args[7]; n = (int) args[2] * (int) args[3]; }
                case "gemmBiasActivation" -> { out = (Buffer) args[10]; n = (int) args[2] * (int) args[3]; }
                case "reduceSum" -> { out = (Buffer) args[4]; n = (int) args[0] * (int) args[2]; }
                default -> { }
            }
            if (out != null) {
                float[] x = new float[n];
                kernels.read(out, 0, x, 0, n);
                for (int i = 0; i < n; i++) x[i] = (float) (x[i] * (1 + units * Tolerance.U * (2 * rng.nextDouble() - 1)));
                kernels.write(x, 0, out, 0, n);
            }
            return result;
        }), device.config());
    }
}

package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device opened, trained on and closed again and again, as a program does with
 * {@code try (Device d = Devices.open(...))}: every buffer the backend allocated is freed by close, and the
 * Java heap does not grow with the number of cycles.
 */
final class LifecycleChecks {
    static final int CYCLES = 100;
    /** Heap growth allowed between cycle 10 and the last: noise only (a leaked model and its Adam state are 0.6 MB a cycle). */
    static final long HEAP_SLACK = 16L << 20;

    private LifecycleChecks() {}

    static void openTrainCloseLeavesNothing(Supplier<Device> open) {
        long heapAfterWarmUp = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Device device = open.get();
            AtomicInteger live = new AtomicInteger();
            Device counted = Device.of(counting(device.kernels(), live), device.config());
            try {
                train(counted, cycle);
            } finally {
                counted.close();
                device.close();
            }
            assertEquals(0, live.get(), "cycle " + cycle + ": buffers allocated and not freed by close");
            if (cycle == 10) heapAfterWarmUp = usedHeap();
        }
        long grown = usedHeap() - heapAfterWarmUp;
        assertTrue(grown < HEAP_SLACK, String.format(Locale.ROOT, "heap grew by %.1f MB from cycle 10 to %d", grown / 1e6, CYCLES));
    }

    /** A few Adam steps of a 128-256-10 MLP; a tensor is left unclosed outside any scope, as careless code does. */
    private static void train(Device device, long seed) {
        Sequential model = new Sequential(new Linear(128, 256), new ReLU(), new Linear(256, 10));
        model.to(device, seed);
        Adam adam = new Adam(model.parameters(), 1e-3f);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[32 * 128];
        float[] y = new float[32];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
        for (int step = 0; step < 3; step++) {
            try (Scope s = Scope.open()) {
                adam.zeroGrad();
                Loss.crossEntropy().apply(model.forward(Tensor.of(device, x, 32, 128)), Tensor.of(device, y, 32)).backward();
                adam.step();
            }
        }
        Tensor.of(device, x, 32, 128);
    }

    /** A view of {@code kernels} that counts buffers allocated and not yet freed; closing it does nothing. */
    private static DeviceKernels counting(DeviceKernels kernels, AtomicInteger live) {
        return (DeviceKernels) Proxy.newProxyInstance(DeviceKernels.class.getClassLoader(), new Class<?>[]{DeviceKernels.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            return null;
                        }
                        case "allocate" -> live.incrementAndGet();
                        case "free" -> live.decrementAndGet();
                        default -> { }
                    }
                    try {
                        return method.invoke(kernels, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The heap in use after collections; the pauses let the cleaner thread return what the collections found. */
    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return r.totalMemory() - r.freeMemory();
    }
}

package dev.jgrad.testing;

import dev.jgrad.device.DeviceInfo;
import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.DeviceKernels;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A stand-in for a GPU backend in core's tests: buffers are host arrays, but like device memory they are
 * only returned by an explicit {@code free}, which this device counts, so a test sees every buffer that
 * was never given back. It has memory, copies and {@code fill}; every other kernel throws.
 */
public final class HostMemoryDevice {
    private final Set<Buffer> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile boolean closed;
    private final DeviceKernels kernels;

    private record HostBuffer(float[] data) implements Buffer {
        @Override
        public int length() {
            return data.length;
        }
    }

    public HostMemoryDevice() {
        DeviceInfo info = new DeviceInfo("fake:0", "host memory posing as a GPU", -1, "test double");
        kernels = (DeviceKernels) Proxy.newProxyInstance(DeviceKernels.class.getClassLoader(), new Class<?>[]{DeviceKernels.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "info" -> info;
                    case "allocate" -> {
                        Buffer b = new HostBuffer(new float[(int) args[0]]);
                        live.add(b);
                        yield b;
                    }
                    case "free" -> {
                        if (!live.remove(args[0])) throw new IllegalStateException("freed twice or not ours: " + args[0]);
                        yield null;
                    }
                    case "write" -> {
                        System.arraycopy((float[]) args[0], (int) args[1], ((HostBuffer) args[2]).data, (int) args[3], (int) args[4]);
                        yield null;
                    }
                    case "read" -> {
                        System.arraycopy(((HostBuffer) args[0]).data, (int) args[1], (float[]) args[2], (int) args[3], (int) args[4]);
                        yield null;
                    }
                    case "fill" -> {
                        java.util.Arrays.fill(((HostBuffer) args[0]).data, 0, (int) args[1], (float) args[2]);
                        yield null;
                    }
                    case "synchronize" -> null;
                    case "close" -> {
                        closed = true;
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "HostMemoryDevice";
                    default -> throw new UnsupportedOperationException(method.getName() + " is not part of this test double");
                });
    }

    /** The SPI view, to wrap with {@code Device.of}. */
    public DeviceKernels kernels() {
        return kernels;
    }

    /** Buffers allocated and not freed. */
    public int liveBuffers() {
        return live.size();
    }

    public boolean closed() {
        return closed;
    }
}

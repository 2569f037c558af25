package dev.jgrad.tensor;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.testing.HostMemoryDevice;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who frees a tensor's memory, on a device whose memory only an explicit free returns (as on a GPU): its
 * scope, {@link Tensor#close()}, the cleaner once it is unreachable, and in every case the device's close.
 */
class TensorLifetimeTest {
    private static final int FLOATS = 1 << 16;

    private static Device open(HostMemoryDevice fake) {
        return Device.of(fake.kernels(), DeviceConfig.standard());
    }

    /** Collects garbage until {@code done} holds; false after 10 s. */
    private static boolean collectUntil(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(50);
        }
        return done.getAsBoolean();
    }

    @Test
    void closingTheDeviceFreesEveryBufferIncludingThoseTensorsStillHold() {
        HostMemoryDevice fake = new HostMemoryDevice();
        Device device = open(fake);
        Tensor held = Tensor.zeros(device, FLOATS);
        Tensor withGrad = Tensor.zeros(device, 8).requiresGrad(true);
        withGrad.gradSlot();
        try (Scope s = Scope.open()) {
            Tensor.zeros(device, 3);
        }
        assertTrue(fake.liveBuffers() >= 3);
        device.close();
        assertEquals(0, fake.liveBuffers(), "buffers left allocated after close");
        assertTrue(fake.closed());
        assertTrue(held.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, held::toArray);
        assertTrue(e.getMessage().contains("fake:0") && e.getMessage().contains("closed"), e.getMessage());
        assertDoesNotThrow(held::close, "closing a tensor of a closed device is harmless");
        IllegalStateException make = assertThrows(IllegalStateException.class, () -> Tensor.zeros(device, 2));
        assertTrue(make.getMessage().contains("closed"), make.getMessage());
        assertDoesNotThrow(device::close, "close is idempotent");
    }

    @Test
    void aTensorMadeOutsideAnyScopeGivesItsBufferBackWhenUnreachable() throws InterruptedException {
        HostMemoryDevice fake = new HostMemoryDevice();
        try (Device device = open(fake)) {
            WeakReference<Tensor> ref = new WeakReference<>(Tensor.zeros(device, FLOATS));
            assertEquals(0, device.pooledBytes());
            assertTrue(collectUntil(() -> ref.get() == null && device.pooledBytes() == 4L * FLOATS),
                    "the unreachable tensor's buffer did not return to the pool; pooled " + device.pooledBytes());
            // and the next tensor of that size reuses it instead of allocating
            int before = fake.liveBuffers();
            Tensor again = Tensor.zeros(device, FLOATS);
            assertEquals(before, fake.liveBuffers());
            again.close();
            device.releaseUnusedMemory();
            assertEquals(0, fake.liveBuffers());
        }
    }

    @Test
    void aKeptTensorIsReclaimedWhenUnreachableToo() throws InterruptedException {
        HostMemoryDevice fake = new HostMemoryDevice();
        try (Device device = open(fake)) {
            WeakReference<Tensor> ref;
            try (Scope s = Scope.open()) {
                ref = new WeakReference<>(Tensor.zeros(device, FLOATS).keep());
            }
            assertFalse(ref.get() != null && ref.get().isClosed(), "keep() took it out of the scope");
            assertTrue(collectUntil(() -> device.pooledBytes() == 4L * FLOATS), "pooled " + device.pooledBytes());
        }
    }

    @Test
    void closingAScopeOutOfOrderClosesTheInnerOnesAndLeavesNoScopeCurrent() throws InterruptedException {
        HostMemoryDevice fake = new HostMemoryDevice();
        try (Device device = open(fake)) {
            Scope outer = Scope.open();
            Tensor a = Tensor.zeros(device, 4);
            Scope inner = Scope.open();
            Tensor b = Tensor.zeros(device, 4);
            IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
            assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
            assertTrue(a.isClosed() && b.isClosed(), "both scopes' tensors are closed");
            assertDoesNotThrow(inner::close, "the inner scope was closed with the outer one");

            // no scope is current: tensors made now belong to nobody, and are not retained
            WeakReference<Tensor> loose = new WeakReference<>(Tensor.zeros(device, FLOATS));
            assertTrue(collectUntil(() -> loose.get() == null), "a tensor made after the error is still retained");
            assertTrue(collectUntil(() -> device.pooledBytes() >= 4L * FLOATS), "its buffer did not return to the pool");

            // and scopes work normally again
            Tensor c;
            try (Scope s = Scope.open()) {
                c = Tensor.zeros(device, 4);
            }
            assertTrue(c.isClosed());
        }
    }

    @Test
    void aScopeClosedOnAnotherThreadIsRefusedAndStaysOpen() throws Exception {
        HostMemoryDevice fake = new HostMemoryDevice();
        try (Device device = open(fake)) {
            Scope s = Scope.open();
            Tensor t = Tensor.zeros(device, 4);
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    s.close();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            other.start();
            other.join();
            assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
            assertFalse(t.isClosed());
            s.close();
            assertTrue(t.isClosed());
        }
    }
}

package dev.jgrad.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;

import java.nio.ByteOrder;

import static jcuda.driver.CUevent_flags.CU_EVENT_DISABLE_TIMING;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

/**
 * Host-to-device copies that do not wait for the GPU: the floats go into one of a few pinned host
 * buffers, and the copy from there is queued on the stream behind the kernels already enqueued. A
 * buffer is reused only after the event recorded behind its previous copy, which was queued several
 * writes earlier (a batch's inputs and labels are two writes), so the host waits for an old copy at
 * most, never for the kernels of the step in flight.
 */
final class PinnedUploads implements AutoCloseable {
    private static final int SLOTS = 4;

    private final CUstream stream;
    private final Slot[] slots = new Slot[SLOTS];
    private int next;

    private static final class Slot {
        Pointer host;
        long capacity;
        CUevent done;
        boolean pending;
    }

    PinnedUploads(CUstream stream) {
        this.stream = stream;
        for (int i = 0; i < SLOTS; i++) {
            Slot s = new Slot();
            s.done = new CUevent();
            cuEventCreate(s.done, CU_EVENT_DISABLE_TIMING);
            slots[i] = s;
        }
    }

    void upload(float[] src, int srcOffset, CUdeviceptr dst, long bytes) {
        Slot s = slots[next];
        next = (next + 1) % SLOTS;
        if (s.pending) cuEventSynchronize(s.done);
        if (s.capacity < bytes) {
            if (s.host != null) cuMemFreeHost(s.host);
            s.host = new Pointer();
            long capacity = Math.max(bytes, 1 << 16);
            cuMemAllocHost(s.host, capacity);
            s.capacity = capacity;
        }
        s.host.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().put(src, srcOffset, (int) (bytes / Float.BYTES));
        cuMemcpyHtoDAsync(dst, s.host, bytes, stream);
        cuEventRecord(s.done, stream);
        s.pending = true;
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            if (s.pending) cuEventSynchronize(s.done);
            if (s.host != null) cuMemFreeHost(s.host);
            cuEventDestroy(s.done);
        }
    }
}

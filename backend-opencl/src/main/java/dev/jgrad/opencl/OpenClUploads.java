package dev.jgrad.opencl;

import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.jocl.CL.CL_FALSE;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

/**
 * Host-to-device writes that do not wait for the kernels before them: the floats are copied into one
 * of a few direct (off-heap) staging buffers, which must stay untouched until the device has read
 * them, and the write is queued without blocking. A staging buffer is reused only after the event of
 * its previous write, queued several writes earlier, so the host waits at most for an old copy.
 */
final class OpenClUploads implements AutoCloseable {
    private static final int SLOTS = 4;

    private final cl_command_queue queue;
    private final ByteBuffer[] staging = new ByteBuffer[SLOTS];
    private final cl_event[] pending = new cl_event[SLOTS];
    private int next;

    OpenClUploads(cl_command_queue queue) {
        this.queue = queue;
    }

    void upload(float[] src, int srcOffset, cl_mem dst, long dstByteOffset, int length) {
        int slot = next;
        next = (next + 1) % SLOTS;
        await(slot);
        long bytes = (long) length * Float.BYTES;
        ByteBuffer buffer = staging[slot];
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect((int) Math.max(bytes, 1 << 16)).order(ByteOrder.nativeOrder());
            staging[slot] = buffer;
        }
        buffer.clear();
        buffer.asFloatBuffer().put(src, srcOffset, length);
        cl_event done = new cl_event();
        clEnqueueWriteBuffer(queue, dst, CL_FALSE, dstByteOffset, bytes, Pointer.to(buffer), 0, null, done);
        pending[slot] = done;
    }

    private void await(int slot) {
        cl_event e = pending[slot];
        if (e == null) return;
        clWaitForEvents(1, new cl_event[] {e});
        clReleaseEvent(e);
        pending[slot] = null;
    }

    @Override
    public void close() {
        for (int i = 0; i < SLOTS; i++) await(i);
    }
}

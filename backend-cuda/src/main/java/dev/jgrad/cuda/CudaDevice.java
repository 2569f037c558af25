package dev.jgrad.cuda;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.kernels.KernelDevice;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

/**
 * A CUDA GPU: the shared kernels (compiled ahead of time into the fat binary) launched on one stream.
 * Nothing but {@link #read} and {@link #synchronize} waits for the GPU: kernels and device-to-device
 * copies are queued, and writes go through pinned buffers as asynchronous copies ({@link PinnedUploads}).
 * Memory comes from cuMemAlloc; core's DeviceMemory pools it, so a training step allocates nothing.
 */
public final class CudaDevice extends KernelDevice {
    /** Writes larger than this (whole datasets) are copied synchronously instead of through a pinned buffer. */
    private static final long STAGED_WRITE_LIMIT = 64L << 20;

    private final CudaContext cuda;
    private final DeviceInfo info;
    private final CUstream stream = new CUstream();
    private final PinnedUploads uploads;
    private final CUdeviceptr placeholder;
    private final int multiprocessors;
    private final boolean tf32;
    private boolean closed;

    /**
     * {@code config.tf32()} lets this device run large GEMMs on TF32 tensor cores (gemm_tf32.cu; inputs
     * rounded to 10 mantissa bits, tolerance in this module's README); off keeps every GEMM in float32.
     */
    CudaDevice(CudaContext cuda, DeviceInfo info, int multiprocessors, DeviceConfig config) {
        super(config);
        this.tf32 = config.tf32();
        this.cuda = cuda;
        this.info = info;
        this.multiprocessors = Math.max(1, multiprocessors);
        current();
        cuStreamCreate(stream, 0);
        this.uploads = new PinnedUploads(stream);
        this.placeholder = CudaBuffer.of(allocate(1));
    }

    /** Makes the GPU's context current on the calling thread: a device may be handed between threads, and a thread may use several GPUs. */
    private void current() {
        cuda.makeCurrent();
    }

    @Override
    protected int computeUnits() {
        return multiprocessors;
    }

    /** Whether this device was opened with TF32 GEMMs allowed ({@link DeviceConfig#tf32()}). */
    public boolean tf32Enabled() {
        return tf32;
    }

    @Override
    protected boolean tf32() {
        return tf32;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    // ---- memory -----------------------------------------------------------------------------------

    @Override
    public Buffer allocate(int length) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        current();
        long bytes = Math.max(1, length) * (long) Float.BYTES;
        CUdeviceptr ptr = new CUdeviceptr();
        try {
            cuMemAlloc(ptr, bytes);
        } catch (CudaException e) {
            throw outOfMemory(bytes, e);
        }
        return new CudaBuffer(ptr, length);
    }

    private DeviceOutOfMemoryException outOfMemory(long bytes, CudaException e) {
        long[] free = new long[1], total = new long[1];
        long freeBytes;
        try {
            cuMemGetInfo(free, total);
            freeBytes = free[0];
        } catch (CudaException ignored) {
            freeBytes = -1;
        }
        return new DeviceOutOfMemoryException(info.id(), bytes, freeBytes, e);
    }

    @Override
    public void free(Buffer buffer) {
        current();
        cuMemFree(CudaBuffer.of(buffer));
    }

    @Override
    public void write(float[] src, int srcOffset, Buffer dst, int dstOffset, int length) {
        if (length == 0) return;
        checkRange(dst, dstOffset, length);
        if (srcOffset < 0 || srcOffset + length > src.length) throw new IndexOutOfBoundsException("source range past the array");
        current();
        long bytes = (long) length * Float.BYTES;
        CUdeviceptr at = CudaBuffer.of(dst).withByteOffset((long) dstOffset * Float.BYTES);
        if (bytes > STAGED_WRITE_LIMIT) {
            cuStreamSynchronize(stream);
            jcuda.driver.JCudaDriver.cuMemcpyHtoD(at, Pointer.to(src).withByteOffset((long) srcOffset * Float.BYTES), bytes);
        } else {
            uploads.upload(src, srcOffset, at, bytes);
        }
    }

    @Override
    public void read(Buffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (length == 0) return;
        checkRange(src, srcOffset, length);
        current();
        cuStreamSynchronize(stream);
        cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES),
                CudaBuffer.of(src).withByteOffset((long) srcOffset * Float.BYTES), (long) length * Float.BYTES);
    }

    private static void checkRange(Buffer b, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > b.length()) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + length) + ") of a buffer of " + b.length() + " floats");
        }
    }

    @Override
    public void copy(Buffer src, Buffer dst, int n) {
        if (n <= 0) return;
        current();
        cuMemcpyDtoDAsync(CudaBuffer.of(dst), CudaBuffer.of(src), (long) n * Float.BYTES, stream);
    }

    @Override
    public void synchronize() {
        current();
        cuStreamSynchronize(stream);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        current();
        cuStreamSynchronize(stream);
        uploads.close();
        cuMemFree(placeholder);
        cuStreamDestroy(stream);
    }

    // ---- kernels ----------------------------------------------------------------------------------

    @Override
    protected void launch(String kernel, int groupsX, int groupsY, int localX, int localY, Object... args) {
        current();
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = switch (args[i]) {
                case Integer v -> Pointer.to(new int[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case Buffer b -> Pointer.to(CudaBuffer.of(b));
                case null -> Pointer.to(placeholder);
                default -> throw new IllegalArgumentException("kernel argument of type " + args[i].getClass());
            };
        }
        try {
            cuLaunchKernel(cuda.function(kernel), groupsX, groupsY, 1, localX, localY, 1, 0, stream, Pointer.to(params), null);
        } catch (CudaException e) {
            throw new IllegalStateException("CUDA launch of " + kernel + " on " + info.id() + " failed: " + e.getMessage(), e);
        }
    }
}

package dev.jgrad.opencl;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.kernels.GemmLaunch;
import dev.jgrad.kernels.GemmTiling;
import dev.jgrad.kernels.KernelDevice;
import dev.jgrad.kernels.KernelSource;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;

/**
 * An OpenCL device: one in-order command queue on the device's shared {@link OpenClContext}. Kernels
 * and writes are only enqueued (writes through staging buffers, {@link OpenClUploads}); {@link #read}
 * and {@link #synchronize} wait.
 */
public final class OpenClDevice extends KernelDevice {
    /** Writes larger than this are copied synchronously instead of through a staging buffer. */
    private static final long STAGED_WRITE_LIMIT = 64L << 20;

    private final OpenClContext cl;
    private final DeviceInfo info;
    private final cl_command_queue queue;
    private final int elementwiseGroup;
    private final int computeUnits;
    /** The tilings on offer; narrowed on first use to those whose compiled kernel fits a work-group. */
    private List<GemmTiling> tilings;
    private boolean tilingsChecked;
    /** Whether gemm_vec.cl's kernel runs 256 work-items here; asked of the runtime on first use. */
    private Boolean vectorGemmFits;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    /** Bound where a kernel takes a buffer it will not read (no bias, no momentum). */
    private final cl_mem placeholder;
    private final OpenClUploads uploads;
    private boolean closed;

    @SuppressWarnings("deprecation") // clCreateCommandQueue: the OpenCL 1.2 call, which every platform has
    OpenClDevice(OpenClContext cl, DeviceInfo info, long maxWorkGroupSize, int computeUnits, boolean cpu, DeviceConfig config) {
        super(config);
        this.cl = cl;
        this.info = info;
        this.elementwiseGroup = (int) Math.min(ELEMENTWISE_GROUP, Long.highestOneBit(maxWorkGroupSize));
        this.tilings = tilingsFor(config.gemmTiling(), maxWorkGroupSize, cpu);
        this.computeUnits = Math.max(1, computeUnits);
        this.queue = org.jocl.CL.clCreateCommandQueue(cl.context(), cl.device(), 0, null);
        this.placeholder = ((OpenClBuffer) allocate(1)).mem();
        this.uploads = new OpenClUploads(queue);
    }

    /**
     * GPUs get every standard tiling; CPU devices only the default one, because a CPU runtime keeps a
     * work-item's registers in memory across barriers, and the 8x8 register block then runs 40 times
     * slower on PoCL (measured: 0.03 against 1.2 GFLOP/s at n = 512). {@code spec} is the configured
     * tiling ({@link DeviceConfig#gemmTiling()}), or null.
     */
    private static List<GemmTiling> tilingsFor(String spec, long maxWorkGroupSize, boolean cpu) {
        if (spec == null) {
            List<GemmTiling> fitting = GemmTiling.forMaxWorkGroup(maxWorkGroupSize);
            return cpu && fitting.contains(GemmTiling.DEFAULT) ? List.of(GemmTiling.DEFAULT) : fitting;
        }
        GemmTiling t = GemmTiling.parse(spec);
        if (t.workGroupSize() > maxWorkGroupSize) {
            throw new IllegalArgumentException("GEMM tiling " + spec + " (DeviceConfig.gemmTiling) needs work-groups of " + t.workGroupSize()
                    + " work-items; the device allows " + maxWorkGroupSize);
        }
        return List.of(t);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /**
     * The tilings whose kernels this device can run: a kernel needing more registers than a full
     * work-group has left can be limited below the device's maximum, so each is built and checked once.
     */
    @Override
    protected boolean vectorGemmFits() {
        if (vectorGemmFits == null) {
            vectorGemmFits = kernelWorkGroupSize(kernel(GemmLaunch.VECTOR_KERNEL)) >= GemmLaunch.THREADS;
        }
        return vectorGemmFits;
    }

    @Override
    protected List<GemmTiling> gemmTilings() {
        if (!tilingsChecked) {
            List<GemmTiling> usable = new ArrayList<>();
            for (GemmTiling t : tilings) {
                if (kernelWorkGroupSize(kernel(t.kernelName())) >= t.workGroupSize()) usable.add(t);
            }
            if (usable.isEmpty() && !tilings.contains(GemmTiling.SMALL)) {
                tilings = List.of(GemmTiling.SMALL);
                return gemmTilings();
            }
            if (usable.isEmpty()) throw new IllegalStateException("no GEMM tiling fits a work-group of " + info.id());
            tilings = List.copyOf(usable);
            tilingsChecked = true;
        }
        return tilings;
    }

    @Override
    protected int computeUnits() {
        return computeUnits;
    }

    @Override
    protected int elementwiseGroup() {
        return elementwiseGroup;
    }

    // ---- memory -----------------------------------------------------------------------------------

    @Override
    public Buffer allocate(int length) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        long bytes = Math.max(1, length) * (long) Sizeof.cl_float;
        try {
            return new OpenClBuffer(clCreateBuffer(cl.context(), CL_MEM_READ_WRITE, bytes, null, null), length);
        } catch (CLException e) {
            // OpenCL has no query for free memory
            throw new DeviceOutOfMemoryException(info.id(), bytes, -1, e);
        }
    }

    @Override
    public void free(Buffer buffer) {
        clReleaseMemObject(OpenClBuffer.of(buffer));
    }

    @Override
    public void write(float[] src, int srcOffset, Buffer dst, int dstOffset, int length) {
        if (length == 0) return;
        checkRange(dst, dstOffset, length);
        if (srcOffset < 0 || srcOffset + length > src.length) throw new IndexOutOfBoundsException("source range past the array");
        long dstByteOffset = (long) dstOffset * Sizeof.cl_float;
        if ((long) length * Sizeof.cl_float > STAGED_WRITE_LIMIT) {
            // a whole dataset: staging it would double its memory, so copy straight from the array, blocking
            clEnqueueWriteBuffer(queue, OpenClBuffer.of(dst), CL_TRUE, dstByteOffset, (long) length * Sizeof.cl_float,
                    Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_float), 0, null, null);
        } else {
            uploads.upload(src, srcOffset, OpenClBuffer.of(dst), dstByteOffset, length);
        }
    }

    @Override
    public void read(Buffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (length == 0) return;
        checkRange(src, srcOffset, length);
        clEnqueueReadBuffer(queue, OpenClBuffer.of(src), CL_TRUE, (long) srcOffset * Sizeof.cl_float,
                (long) length * Sizeof.cl_float, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_float), 0, null, null);
    }

    private static void checkRange(Buffer b, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > b.length()) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + length) + ") of a buffer of " + b.length() + " floats");
        }
    }

    @Override
    public void copy(Buffer src, Buffer dst, int n) {
        if (n <= 0) return;
        clEnqueueCopyBuffer(queue, OpenClBuffer.of(src), OpenClBuffer.of(dst), 0, 0, (long) n * Sizeof.cl_float, 0, null, null);
    }

    @Override
    public void synchronize() {
        clFinish(queue);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        clFinish(queue);
        uploads.close();
        for (cl_kernel k : kernels.values()) clReleaseKernel(k);
        kernels.clear();
        clReleaseMemObject(placeholder);
        clReleaseCommandQueue(queue);
    }

    // ---- kernels ----------------------------------------------------------------------------------

    @Override
    protected void launch(String kernel, int groupsX, int groupsY, int localX, int localY, Object... args) {
        cl_kernel k = kernel(kernel);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case Integer v -> org.jocl.CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
                case Float v -> org.jocl.CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
                case Buffer b -> org.jocl.CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(OpenClBuffer.of(b)));
                case null -> org.jocl.CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(placeholder));
                default -> throw new IllegalArgumentException("kernel argument of type " + args[i].getClass());
            }
        }
        long[] global = {(long) groupsX * localX, (long) groupsY * localY};
        long[] local = {localX, localY};
        clEnqueueNDRangeKernel(queue, k, 2, null, global, local, 0, null, null);
    }

    /** The kernel object of this device's queue, created from the context's cached program on first use. */
    private cl_kernel kernel(String name) {
        cl_kernel k = kernels.get(name);
        if (k != null) return k;
        KernelSource.File file = KernelSource.File.defining(name);
        String options = "";
        if (file == KernelSource.File.GEMM) {
            options = tilings.stream().filter(t -> t.kernelName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no GEMM tiling is named " + name)).defines();
        }
        k = clCreateKernel(cl.program(file, options), name, null);
        kernels.put(name, k);
        return k;
    }

    private long kernelWorkGroupSize(cl_kernel k) {
        long[] size = new long[1];
        clGetKernelWorkGroupInfo(k, cl.device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(size), null);
        return size[0];
    }
}

package dev.jgrad.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

import java.util.HashMap;
import java.util.Map;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

/**
 * A GPU's primary context with jgrad's kernel module loaded into it, kept for the life of the process
 * and shared by every {@link CudaDevice} opened on that GPU.
 */
final class CudaContext {
    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    /** The context each thread last made current, so that switching is one JNI call and only when needed. */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();

    /** Retains the primary context of GPU {@code ordinal} and loads {@code fatbin} into it; throws CudaException. */
    CudaContext(int ordinal, byte[] fatbin) {
        this.ordinal = ordinal;
        cuDeviceGet(device, ordinal);
        cuDevicePrimaryCtxRetain(context, device);
        makeCurrent();
        cuModuleLoadData(module, fatbin);
    }

    int ordinal() {
        return ordinal;
    }

    CUcontext context() {
        return context;
    }

    /** Makes this context current on the calling thread (a no-op when it already is). */
    void makeCurrent() {
        if (CURRENT.get() != this) {
            cuCtxSetCurrent(context);
            CURRENT.set(this);
        }
    }

    synchronized CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) {
            f = new CUfunction();
            cuModuleGetFunction(f, module, name);
            functions.put(name, f);
        }
        return f;
    }
}

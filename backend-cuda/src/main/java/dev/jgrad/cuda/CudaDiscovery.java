package dev.jgrad.cuda;

import dev.jgrad.device.DeviceInfo;
import dev.jgrad.kernels.KernelSource;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

/**
 * Finds the CUDA GPUs once per process: the kernels must have been built (nvcc at build time), the
 * driver library must load, and each GPU must load the kernel module, else it is left out with its reason.
 */
final class CudaDiscovery {
    record Found(DeviceInfo info, CudaContext context, int multiprocessors) {}

    record Result(List<Found> devices, String unavailableReason) {}

    private static Result result;

    private CudaDiscovery() {}

    static synchronized Result get() {
        if (result == null) result = discover();
        return result;
    }

    private static Result discover() {
        Optional<byte[]> fatbin = KernelSource.cudaFatbin();
        if (fatbin.isEmpty()) {
            return new Result(List.of(), "built without CUDA kernels (nvcc was not found when jgrad-kernels was built)");
        }
        int count;
        int driverVersion;
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] n = new int[1];
            cuDeviceGetCount(n);
            count = n[0];
            int[] v = new int[1];
            cuDriverGetVersion(v);
            driverVersion = v[0];
        } catch (UnsatisfiedLinkError e) {
            return new Result(List.of(), nativeLoadFailure(e));
        } catch (CudaException e) {
            return new Result(List.of(), "the CUDA driver did not initialise: " + oneLine(e));
        } catch (RuntimeException | LinkageError e) {
            return new Result(List.of(), "CUDA could not be queried: " + oneLine(e));
        }
        if (count == 0) return new Result(List.of(), "no CUDA device");
        List<Found> usable = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int ordinal = 0; ordinal < count; ordinal++) {
            String name = "GPU " + ordinal;
            try {
                CUdevice dev = new CUdevice();
                cuDeviceGet(dev, ordinal);
                name = deviceName(dev);
                int major = attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
                int minor = attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
                int sms = attribute(dev, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
                long[] memory = new long[1];
                cuDeviceTotalMem(memory, dev);
                CudaContext context;
                try {
                    context = new CudaContext(ordinal, fatbin.get());
                } catch (CudaException e) {
                    failures.add(name + " (compute capability " + major + "." + minor + "): the driver cannot load jgrad's CUDA kernels ("
                            + oneLine(e) + "; they are built for sm_80 and sm_90)");
                    continue;
                }
                String details = "compute capability " + major + "." + minor + ", " + sms + " SMs, driver "
                        + driverVersion / 1000 + "." + (driverVersion % 1000) / 10 + " (CUDA API " + driverVersion + ")";
                usable.add(new Found(new DeviceInfo("cuda:" + usable.size(), name, memory[0], details), context, sms));
            } catch (CudaException e) {
                failures.add(name + ": " + oneLine(e));
            }
        }
        if (usable.isEmpty()) return new Result(List.of(), "no usable CUDA device: " + String.join("; ", failures));
        return new Result(List.copyOf(usable), null);
    }

    /** JCuda's message is many lines; the one that matters names the shared object the loader could not find. */
    static String nativeLoadFailure(UnsatisfiedLinkError e) {
        String message = String.valueOf(e.getMessage());
        Matcher missing = MISSING_LIBRARY.matcher(message);
        if (missing.find()) {
            String library = missing.group(1);
            return library.startsWith("libcuda.so")
                    ? "no CUDA driver: " + library + " was not found (install the NVIDIA driver)"
                    : "JCuda's native library could not load: " + library + " was not found";
        }
        return "JCuda's native library could not load: " + oneLine(e);
    }

    private static final Pattern MISSING_LIBRARY = Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    private static String deviceName(CUdevice dev) {
        byte[] bytes = new byte[256];
        cuDeviceGetName(bytes, bytes.length, dev);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }

    private static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, dev);
        return v[0];
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
        return s.lines().findFirst().orElse("").trim();
    }
}

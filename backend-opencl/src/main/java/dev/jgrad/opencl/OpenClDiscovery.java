package dev.jgrad.opencl;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.kernels.KernelSource;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.jocl.CL.*;

/**
 * Finds the OpenCL devices once per process (the result, and each device's built programs, are kept):
 * every device of every platform, GPUs first, each checked by building the elementwise kernels and
 * running one of them. Devices that fail are left out; with none left the backend is unavailable.
 */
final class OpenClDiscovery {
    /** Row kernels run work-groups of this many work-items, so a device must allow at least that. */
    private static final long MIN_WORK_GROUP = KernelSource.ROW_GROUP;

    /** A usable device: its listing and what opening it needs. */
    record Found(DeviceInfo info, OpenClContext context, long maxWorkGroupSize, int computeUnits, boolean cpu) {}

    /** The outcome: devices in the order users number them, or why there are none. */
    record Result(List<Found> devices, String unavailableReason) {}

    private static Result result;

    private OpenClDiscovery() {}

    static synchronized Result get() {
        if (result == null) result = discover();
        return result;
    }

    private static Result discover() {
        List<Candidate> candidates;
        try {
            CL.setExceptionsEnabled(true);
            candidates = candidates();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            // JOCL dlopens the unversioned libOpenCL.so, which only the ICD loader's development package provides
            return new Result(List.of(), "no OpenCL runtime: libOpenCL.so could not be loaded (" + oneLine(e)
                    + "); install an ICD loader with its libOpenCL.so link and a driver, e.g. Debian's ocl-icd-opencl-dev and pocl-opencl-icd");
        } catch (CLException e) {
            return new Result(List.of(), "no OpenCL platform: " + oneLine(e)
                    + " (install an OpenCL runtime, e.g. Debian's pocl-opencl-icd)");
        } catch (RuntimeException | LinkageError e) {
            return new Result(List.of(), "OpenCL could not be queried: " + oneLine(e));
        }
        if (candidates.isEmpty()) return new Result(List.of(), "no OpenCL device on any platform");
        // GPUs first, then accelerators, then CPUs; the platform order is kept within each kind
        candidates.sort(Comparator.comparingInt(Candidate::rank));
        List<Found> usable = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Candidate c : candidates) {
            String failure = c.problem();
            OpenClContext context = null;
            if (failure == null) {
                try {
                    context = new OpenClContext(c.platform, c.device, c.name);
                    failure = smokeTest(context, c);
                } catch (RuntimeException | LinkageError e) {
                    failure = oneLine(e);
                }
            }
            if (failure != null) {
                failures.add(c.name + ": " + failure);
                continue;
            }
            int index = usable.size();
            usable.add(new Found(new DeviceInfo("opencl:" + index, c.name, c.globalMemory, c.details()), context, c.maxWorkGroup,
                    c.computeUnits, c.isCpu()));
        }
        if (usable.isEmpty()) return new Result(List.of(), "no usable OpenCL device: " + String.join("; ", failures));
        return new Result(List.copyOf(usable), null);
    }

    private static List<Candidate> candidates() {
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        List<Candidate> out = new ArrayList<>();
        for (cl_platform_id p : platforms) {
                        // platform versions can run on with build flags (PoCL's do): keep what comes before the first comma
            String version = ClQueries.platformString(p, CL_PLATFORM_VERSION).split(",")[0].replaceAll("\\s+", " ").trim();
            String platform = ClQueries.platformString(p, CL_PLATFORM_NAME) + " (" + version + ")";
            cl_device_id[] devices;
            try {
                int[] n = new int[1];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
                devices = new cl_device_id[n[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            } catch (CLException e) {
                continue; // a platform without devices
            }
            for (cl_device_id d : devices) out.add(new Candidate(p, d, platform));
        }
        return out;
    }

    /** Builds the elementwise kernels and checks y = 2x + y on the device; null when it passes. */
    private static String smokeTest(OpenClContext context, Candidate c) {
        DeviceInfo provisional = new DeviceInfo("opencl", c.name, c.globalMemory, c.details());
        try (OpenClDevice device = new OpenClDevice(context, provisional, c.maxWorkGroup, c.computeUnits, c.isCpu(),
                DeviceConfig.standard())) {
            int n = 1000;
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                y[i] = 1;
            }
            var bx = device.allocate(n);
            var by = device.allocate(n);
            try {
                device.write(x, 0, bx, 0, n);
                device.write(y, 0, by, 0, n);
                device.axpby(n, 2f, bx, 1f, by);
                device.read(by, 0, y, 0, n);
            } finally {
                device.free(bx);
                device.free(by);
            }
            for (int i = 0; i < n; i++) {
                if (y[i] != 2f * i + 1f) return "smoke kernel computed " + y[i] + " instead of " + (2f * i + 1f) + " at element " + i;
            }
            return null;
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
        return s.lines().findFirst().orElse("").trim();
    }

    /** A device as the platform reports it, before the smoke test. */
    private static final class Candidate {
        final cl_platform_id platform;
        final cl_device_id device;
        final String platformName;
        final String name;
        final String version;
        final long type;
        final int computeUnits;
        final long globalMemory;
        final long maxWorkGroup;

        Candidate(cl_platform_id platform, cl_device_id device, String platformName) {
            this.platform = platform;
            this.device = device;
            this.platformName = platformName;
            this.name = ClQueries.deviceString(device, CL_DEVICE_NAME);
            this.version = ClQueries.deviceString(device, CL_DEVICE_VERSION);
            this.type = ClQueries.deviceLong(device, CL_DEVICE_TYPE);
            this.computeUnits = ClQueries.deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS);
            this.globalMemory = ClQueries.deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE);
            this.maxWorkGroup = ClQueries.deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE);
        }

        int rank() {
            if ((type & CL_DEVICE_TYPE_GPU) != 0) return 0;
            if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return 1;
            return 2;
        }

        boolean isCpu() {
            return (type & CL_DEVICE_TYPE_CPU) != 0;
        }

        String kind() {
            return switch (rank()) {
                case 0 -> "GPU";
                case 1 -> "accelerator";
                default -> (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "other";
            };
        }

        String problem() {
            if (maxWorkGroup < MIN_WORK_GROUP) {
                return "work-groups of at most " + maxWorkGroup + " work-items (jgrad's kernels need " + MIN_WORK_GROUP + ")";
            }
            return null;
        }

        String details() {
            return "platform " + platformName + ", " + kind() + ", " + version + ", " + computeUnits + " compute units, "
                    + "max work-group " + maxWorkGroup;
        }
    }
}

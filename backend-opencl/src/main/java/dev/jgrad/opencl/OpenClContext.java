package dev.jgrad.opencl;

import dev.jgrad.kernels.KernelSource;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseProgram;

/**
 * One OpenCL context per physical device, shared by every {@link OpenClDevice} opened on it, with the
 * programs built for it: a kernel file is compiled once per device and build options for the life of
 * the process (PoCL takes seconds per file).
 */
final class OpenClContext {
    private final cl_device_id device;
    private final String deviceName;
    private final cl_context context;
    private final Map<String, cl_program> programs = new HashMap<>();

    OpenClContext(cl_platform_id platform, cl_device_id device, String deviceName) {
        this.device = device;
        this.deviceName = deviceName;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
    }

    cl_context context() {
        return context;
    }

    cl_device_id device() {
        return device;
    }

    String deviceName() {
        return deviceName;
    }

    /** The program of {@code file} built with {@code options}, building it on first use. */
    synchronized cl_program program(KernelSource.File file, String options) {
        String key = file.fileName() + " " + options;
        cl_program program = programs.get(key);
        if (program != null) return program;
        program = build(file.fileName(), KernelSource.openClProgram(file), options);
        programs.put(key, program);
        return program;
    }

    /** Compiles one program for this device; a compile error becomes a {@link KernelBuildException} with the log. */
    cl_program build(String fileName, String source, String options) {
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new KernelBuildException(fileName, deviceName, log, e);
        }
        return program;
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            int n = bytes.length;
            while (n > 0 && bytes[n - 1] == 0) n--;
            return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }
}

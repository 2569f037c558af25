package dev.jgrad.opencl;

import dev.jgrad.spi.Buffer;
import org.jocl.cl_mem;

/** A cl_mem of {@code length} floats (at least one float is allocated, since OpenCL rejects empty buffers). */
record OpenClBuffer(cl_mem mem, int length) implements Buffer {
    static cl_mem of(Buffer b) {
        return ((OpenClBuffer) b).mem;
    }
}

package dev.jgrad.cuda;

import dev.jgrad.spi.Buffer;
import jcuda.driver.CUdeviceptr;

/** Device memory of {@code length} floats (at least one float is allocated, so empty buffers have an address). */
record CudaBuffer(CUdeviceptr ptr, int length) implements Buffer {
    static CUdeviceptr of(Buffer b) {
        return ((CudaBuffer) b).ptr;
    }
}

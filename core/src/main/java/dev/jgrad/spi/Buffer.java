package dev.jgrad.spi;

/** A block of float32 memory owned by one {@link DeviceKernels}. Only that device's kernels may touch it. */
public interface Buffer {
    /** Length in floats. */
    int length();
}

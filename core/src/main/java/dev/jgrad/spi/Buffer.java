package dev.jgrad.spi;

/** A block of float32 memory owned by one {@link dev.jgrad.device.Device}. Only that device's kernels may touch it. */
public interface Buffer {
    /** Length in floats. */
    int length();
}

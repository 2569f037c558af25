package dev.jgrad.cpu;

import dev.jgrad.spi.Buffer;

/** A CPU buffer is a Java float array. */
record CpuBuffer(float[] data) implements Buffer {
    @Override
    public int length() {
        return data.length;
    }

    static float[] of(Buffer b) {
        return b == null ? null : ((CpuBuffer) b).data;
    }
}

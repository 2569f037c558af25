package dev.jgrad.bench;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;

/** Frees the cases' raw device buffers, skipping the ones a failed allocation never filled in. */
final class Buffers {
    private Buffers() {}

    static void free(Device device, Buffer[]... groups) {
        for (Buffer[] group : groups) {
            for (int i = 0; i < group.length; i++) {
                if (group[i] != null) device.kernels().free(group[i]);
                group[i] = null;
            }
        }
    }
}

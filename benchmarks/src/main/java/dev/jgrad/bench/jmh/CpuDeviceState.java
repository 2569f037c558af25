package dev.jgrad.bench.jmh;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;

/** Opens the CPU device the way users do; its thread count comes from -Djgrad.cpu.threads. */
final class CpuDeviceState {
    private CpuDeviceState() {}

    static Device open() {
        return Devices.openSpec("cpu", Devices.backends(), message -> {});
    }
}

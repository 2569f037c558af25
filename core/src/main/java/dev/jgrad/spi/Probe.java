package dev.jgrad.spi;

import dev.jgrad.device.DeviceInfo;

import java.util.List;

/** What a backend found: its devices, or the one-line reason it has none. */
public record Probe(String backend, List<DeviceInfo> devices, String unavailableReason) {

    public Probe {
        devices = List.copyOf(devices);
        if (devices.isEmpty() && unavailableReason == null) unavailableReason = "no device found";
    }

    public static Probe available(String backend, List<DeviceInfo> devices) {
        return new Probe(backend, devices, null);
    }

    public static Probe unavailable(String backend, String reason) {
        return new Probe(backend, List.of(), reason);
    }

    public boolean available() {
        return unavailableReason == null;
    }
}

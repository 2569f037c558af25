package dev.jgrad.device;

/**
 * One device as {@code jgrad devices} lists it.
 *
 * @param id          the id users type: {@code cpu}, {@code opencl:1}, {@code cuda:0}
 * @param name        the device's own name (CPU model, GPU name)
 * @param memoryBytes memory the device can use, or -1 when unknown
 * @param details     backend-specific facts: threads and vector width, platform and version, compute capability
 */
public record DeviceInfo(String id, String name, long memoryBytes, String details) {}

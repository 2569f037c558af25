package dev.jgrad.opencl;

import dev.jgrad.spi.Probe;

/** Prints one line about the OpenCL probe; run in a child JVM by {@link OpenClProbeTest}. */
public final class ProbePrinter {
    private ProbePrinter() {}

    public static void main(String[] args) {
        Probe p = new OpenClBackend().probe();
        System.out.println("probe: " + (p.available() ? "available: " + p.devices() : "unavailable: " + p.unavailableReason()));
    }
}

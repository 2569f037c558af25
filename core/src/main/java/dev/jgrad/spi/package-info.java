/**
 * SPI. For backend authors, not applications: a backend ({@link dev.jgrad.spi.Backend}, found by
 * {@link java.util.ServiceLoader} under {@code META-INF/services/dev.jgrad.spi.Backend}) probes for its
 * devices and opens each as a {@link dev.jgrad.spi.DeviceKernels}: an allocator of
 * {@link dev.jgrad.spi.Buffer}s, copies, and the primitive kernels every op is built from. Core wraps
 * it in a {@link dev.jgrad.device.Device}, which owns the memory pool and closes it. Every backend must
 * pass the conformance suite in core's test-jar ({@code dev.jgrad.conformance}), the CPU backend being
 * the reference; {@link dev.jgrad.spi.Philox} is the random stream dropout masks must reproduce.
 */
package dev.jgrad.spi;

/**
 * Backend implementation (internal). The reference backend: Java Vector API kernels on a pool of threads. Applications reach it through
 * {@code Devices.open("cpu")}; only {@link dev.jgrad.cpu.CpuBackend} is public, for
 * {@code Devices.open(Backend, int, DeviceConfig)} and tests.
 */
package dev.jgrad.cpu;

/**
 * Backend implementation (internal). The CUDA backend (JCuda driver API, kernels compiled by nvcc). Applications reach it through
 * {@code Devices.open("cuda")}; its public classes are for its tests and
 * {@code Devices.open(Backend, int, DeviceConfig)}.
 */
package dev.jgrad.cuda;

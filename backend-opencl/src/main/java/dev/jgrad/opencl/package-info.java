/**
 * Backend implementation (internal). The OpenCL backend (JOCL). Applications reach it through {@code Devices.open("opencl")}; its
 * public classes are for its tests and {@code Devices.open(Backend, int, DeviceConfig)}.
 */
package dev.jgrad.opencl;

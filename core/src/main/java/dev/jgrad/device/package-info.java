/**
 * API. Opening devices: {@link dev.jgrad.device.Devices} finds the backends on the class path and opens
 * the device a program asks for, with the options of a {@link dev.jgrad.device.DeviceConfig}; the
 * {@link dev.jgrad.device.Device} it returns owns its memory and native resources until it is closed.
 * <pre>{@code
 * try (Device device = Devices.open("cpu")) { ... }
 * }</pre>
 */
package dev.jgrad.device;

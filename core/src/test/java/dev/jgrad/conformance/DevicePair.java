package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.testing.KernelRun;
import dev.jgrad.testing.Tolerance;

/** The device under test and the CPU reference, running the same kernel calls on the same inputs. */
record DevicePair(Device device, Device reference) {

    /** Runs {@code call} on both devices from copies of {@code initial}. */
    Outcome run(float[][] initial, KernelRun.Call call) {
        return new Outcome(initial, KernelRun.on(device, initial, call), KernelRun.on(reference, initial, call));
    }

    /** What each buffer held after the call, on each device. */
    record Outcome(float[][] initial, float[][] device, float[][] reference) {

        /** Buffer {@code i} on the device under test matches the reference within {@code tol}. */
        Outcome check(int i, String what, Tolerance tol) {
            return check(i, what, tol, null);
        }

        Outcome check(int i, String what, Tolerance tol, double[] extraAtol) {
            tol.check(what, reference[i], device[i], extraAtol);
            return this;
        }

        /** Input buffers came back bit for bit as they went in. */
        Outcome unchanged(String what, int... inputs) {
            for (int i : inputs) Tolerance.exact().check(what + ": input " + i + " was modified", initial[i], device[i]);
            return this;
        }
    }
}

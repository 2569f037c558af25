package dev.jgrad.conformance;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.ops.Elementwise;
import dev.jgrad.ops.Reductions;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.testing.SeededArrays;
import org.junit.jupiter.api.Assertions;

import java.util.Arrays;

/**
 * Checks an op's autograd gradient against central finite differences, on the device under test.
 *
 * <p>The op's output is reduced to a scalar L = sum(out * w) with fixed random weights w in [-1, 1], so
 * every output element matters and no two elements' errors can cancel by symmetry. The analytic
 * gradient is what {@code backward()} produces for L; the numeric one is (L(x + h) - L(x - h)) / step
 * for each input element, where the forward runs on the device and L is summed on the host in double,
 * and step is the exact difference of the two perturbed float inputs (x +- h is not exact in float).
 *
 * <p>Error budget, with h = 1e-2 and inputs of order 1:
 * <ul>
 * <li>truncation: h^2/6 * |f'''| <= 1.7e-5 * 16 = 2.7e-4 for the worst op tested (log on [0.5, 2]);</li>
 * <li>rounding: only the outputs that depend on the perturbed element change; each is off by a few
 *     float32 roundings (a k-term sum: up to k U |terms| ~ 24 * 6e-8 * 3 for the largest reduction here),
 *     divided by 2h = 0.02: <= ~2e-4. A smaller h trades truncation for rounding (1e-3 would make the
 *     rounding term 10x larger), a larger one the other way.</li>
 * </ul>
 * So |analytic - numeric| <= ATOL + RTOL * |numeric| with ATOL = 1e-3 and RTOL = 5e-3 holds with twice
 * the worst-case estimate to spare (on the CPU the largest error measured is 1/50 of the allowance, for
 * log), while a wrong gradient (a missing term, a factor, a sign, a broadcast axis not summed) is off
 * by tens of percent or more.
 */
final class FiniteDifferences {
    static final float H = 1e-2f;
    static final double ATOL = 1e-3;
    static final double RTOL = 5e-3;

    private FiniteDifferences() {}

    /** The op under test, applied to one tensor per input. */
    @FunctionalInterface
    interface Op {
        Tensor apply(Tensor[] inputs);
    }

    /** An input's values and shape, and whether the gradient with respect to it is checked. */
    record Input(String name, float[] data, int[] shape, boolean differentiable) {
        static Input wrt(String name, float[] data, int... shape) {
            return new Input(name, data, shape, true);
        }

        static Input constant(String name, float[] data, int... shape) {
            return new Input(name, data, shape, false);
        }
    }

    @SuppressWarnings("try")   // the scope frees what the body allocates
    static void check(Device device, String what, Op op, Input... inputs) {
        float[] w;
        float[][] analytic = new float[inputs.length][];
        try (Scope scope = Scope.open()) {
            Tensor[] ts = upload(device, inputs, null);
            Tensor out = op.apply(ts);
            w = new SeededArrays(what.hashCode()).uniform(out.size(), -1, 1);
            Tensor loss = Reductions.sum(Elementwise.mul(out, Tensor.of(device, w, out.shape())));
            loss.backward();
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].differentiable()) continue;
                float[] g = ts[i].gradToArray();
                analytic[i] = g != null ? g : new float[inputs[i].data().length];
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].differentiable()) continue;
            float[] x = inputs[i].data();
            double[] numeric = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                float[] plus = x.clone();
                float[] minus = x.clone();
                plus[j] = x[j] + H;
                minus[j] = x[j] - H;
                double step = (double) plus[j] - (double) minus[j];
                numeric[j] = (loss(device, op, inputs, i, plus, w) - loss(device, op, inputs, i, minus, w)) / step;
            }
            compare(what + ": d/d" + inputs[i].name(), analytic[i], numeric);
        }
    }

    private static Tensor[] upload(Device device, Input[] inputs, float[][] replaced) {
        Tensor[] ts = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            float[] data = replaced != null && replaced[i] != null ? replaced[i] : inputs[i].data();
            ts[i] = Tensor.of(device, data, inputs[i].shape());
            if (replaced == null && inputs[i].differentiable()) ts[i].requiresGrad(true);
        }
        return ts;
    }

    /** L = sum(out * w) with input {@code which} replaced by {@code data}, summed in double on the host. */
    @SuppressWarnings("try")
    private static double loss(Device device, Op op, Input[] inputs, int which, float[] data, float[] w) {
        float[][] replaced = new float[inputs.length][];
        replaced[which] = data;
        try (Scope scope = Scope.open(); GradMode noGrad = GradMode.noGrad()) {
            float[] out = op.apply(upload(device, inputs, replaced)).toArray();
            double l = 0;
            for (int k = 0; k < out.length; k++) l += (double) out[k] * w[k];
            return l;
        }
    }

    private static void compare(String what, float[] analytic, double[] numeric) {
        int worst = -1;
        double worstRatio = 0;
        int bad = 0;
        for (int j = 0; j < numeric.length; j++) {
            double ratio = Math.abs(analytic[j] - numeric[j]) / (ATOL + RTOL * Math.abs(numeric[j]));
            if (!(ratio <= 1)) {
                bad++;
                if (worst < 0 || !(ratio <= worstRatio)) {
                    worst = j;
                    worstRatio = ratio;
                }
            }
        }
        if (bad > 0) {
            Assertions.fail(String.format("%s: %d of %d elements disagree with central differences (h=%s); worst at [%d]: "
                            + "analytic %s, numeric %.6g (allowed %.2g + %.2g*|numeric|)%nanalytic %s%nnumeric  %s",
                    what, bad, numeric.length, H, worst, analytic[worst], numeric[worst], ATOL, RTOL,
                    Arrays.toString(analytic), Arrays.toString(numeric)));
        }
    }
}

package dev.jgrad.conformance;

import dev.jgrad.spi.Activations;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.ops.Elementwise;
import dev.jgrad.ops.Linear;
import dev.jgrad.ops.Losses;
import dev.jgrad.ops.MatMul;
import dev.jgrad.ops.Reductions;
import dev.jgrad.ops.Softmax;
import dev.jgrad.testing.HostMath;
import dev.jgrad.testing.SeededArrays;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.jgrad.conformance.FiniteDifferences.Input.constant;
import static dev.jgrad.conformance.FiniteDifferences.Input.wrt;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The finite-difference check ({@link FiniteDifferences}) of every op of {@code dev.jgrad.ops}, on the device under test. */
final class GradientChecks {
    private final Device device;

    GradientChecks(Device device) {
        this.device = device;
    }

    private DynamicTest check(String name, FiniteDifferences.Op op, FiniteDifferences.Input... inputs) {
        return dynamicTest(name, () -> FiniteDifferences.check(device, name, op, inputs));
    }

    private static int size(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    Stream<DynamicTest> all() {
        List<DynamicTest> tests = new ArrayList<>();
        unary(tests);
        binary(tests);
        matmul(tests);
        linear(tests);
        reductions(tests);
        softmaxAndLosses(tests);
        composite(tests);
        return tests.stream();
    }

    private void unary(List<DynamicTest> tests) {
        for (UnaryOp op : UnaryOp.values()) {
            float p = UnaryDefinitions.param(op);
            float[] x = UnaryDefinitions.gradientInputs(op, new SeededArrays(op.ordinal() + 1000), 12);
            tests.add(check("unary " + op, in -> Elementwise.unary(op, p, in[0]), wrt("x", x, 3, 4)));
        }
    }

    private void binary(List<DynamicTest> tests) {
        // operand shapes: equal, either one broadcast along rows, columns, fully (a scalar), and a middle axis
        int[][][] shapes = {
                {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{3, 1}, {3, 4}}, {{3, 4}, {3, 1}},
                {{3, 4}, {}}, {{}, {3, 4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}},
        };
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] s : shapes) {
                String name = op + " " + Arrays.toString(s[0]) + " with " + Arrays.toString(s[1]);
                SeededArrays rnd = new SeededArrays(name.hashCode());
                float[] a = rnd.uniform(size(s[0]), -2, 2);
                // a divisor in [1, 2] keeps d^3(a/b)/db^3 = 6a/b^4 <= 12, so the truncation error stays small
                float[] b = op == BinaryOp.DIV ? rnd.awayFromZero(size(s[1]), 1, 2) : rnd.uniform(size(s[1]), -2, 2);
                tests.add(check("binary " + name, in -> Elementwise.binary(op, in[0], in[1]), wrt("a", a, s[0]), wrt("b", b, s[1])));
            }
        }
        // one tensor reaching the output along two paths: its gradient must accumulate
        SeededArrays rnd = new SeededArrays(2024);
        float[] x = rnd.uniform(12, -2, 2);
        float[] y = rnd.uniform(12, -2, 2);
        tests.add(check("x * x (one input used twice)", in -> Elementwise.mul(in[0], in[0]), wrt("x", x, 3, 4)));
        tests.add(check("x + x * y (two paths)", in -> Elementwise.add(in[0], Elementwise.mul(in[0], in[1])),
                wrt("x", x, 3, 4), wrt("y", y, 3, 4)));
    }

    private void matmul(List<DynamicTest> tests) {
        int m = 3, k = 4, n = 5;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
            String name = "matmul " + (ta ? "A^T" : "A") + " " + (tb ? "B^T" : "B");
            SeededArrays rnd = new SeededArrays(name.hashCode());
            float[] a = rnd.uniform(m * k, -1, 1);
            float[] b = rnd.uniform(k * n, -1, 1);
            int[] aShape = ta ? new int[]{k, m} : new int[]{m, k};
            int[] bShape = tb ? new int[]{n, k} : new int[]{k, n};
            tests.add(check(name, in -> MatMul.matmul(in[0], in[1], ta, tb), wrt("A", a, aShape), wrt("B", b, bShape)));
        }
        // both operands the same tensor: both gradient writes land in one buffer
        float[] x = new SeededArrays(61).uniform(m * k, -1, 1);
        tests.add(check("matmul X X^T (one input as both operands)", in -> MatMul.matmul(in[0], in[0], false, true), wrt("X", x, m, k)));
        tests.add(check("matmul X^T X (one input as both operands)", in -> MatMul.matmul(in[0], in[0], true, false), wrt("X", x, m, k)));
    }

    private void linear(List<DynamicTest> tests) {
        int batch = 4, in = 5, out = 3;
        for (UnaryOp act : UnaryOp.values()) {
            if (!act.isActivation()) continue;
            float p = UnaryDefinitions.param(act);
            for (boolean withBias : new boolean[]{true, false}) {
                String name = "linear " + act + (withBias ? " with bias" : " without bias")
                        + (Activations.derivativeFromOutput(act, p) ? " (fused)" : " (activation after the GEMM)");
                float[][] xwb = linearInputs(name, batch, in, out, withBias);
                if (withBias) {
                    tests.add(check(name, t -> Linear.linear(t[0], t[1], t[2], act, p),
                            wrt("x", xwb[0], batch, in), wrt("W", xwb[1], out, in), wrt("b", xwb[2], out)));
                } else {
                    tests.add(check(name, t -> Linear.linear(t[0], t[1], null, act, p),
                            wrt("x", xwb[0], batch, in), wrt("W", xwb[1], out, in)));
                }
            }
        }
    }

    /**
     * x, W and b such that every pre-activation x W^T + b is at least 0.1 from 0, where relu-like kinks
     * sit: a step of h = 1e-2 in any one input moves a pre-activation by at most h * max(|x|, |W|, 1) = 1e-2.
     */
    private static float[][] linearInputs(String name, int batch, int in, int out, boolean withBias) {
        SeededArrays rnd = new SeededArrays(name.hashCode());
        while (true) {
            float[] x = rnd.uniform(batch * in, -1, 1);
            float[] w = rnd.uniform(out * in, -1, 1);
            float[] b = rnd.uniform(out, -1, 1);
            double[] z = HostMath.gemm(false, true, batch, out, in, x, w, null, false);
            boolean clear = true;
            for (int i = 0; i < z.length; i++) {
                double v = z[i] + (withBias ? b[i % out] : 0);
                if (Math.abs(v) < 0.1) clear = false;
            }
            if (clear) return new float[][]{x, w, b};
        }
    }

    private void reductions(List<DynamicTest> tests) {
        float[] x = new SeededArrays(31).uniform(24, -1, 1);
        tests.add(check("sum of all", in -> Reductions.sum(in[0]), wrt("x", x, 2, 3, 4)));
        tests.add(check("mean of all", in -> Reductions.mean(in[0]), wrt("x", x, 2, 3, 4)));
        for (int axis : new int[]{0, 1, 2, -1}) {
            tests.add(check("sum over axis " + axis, in -> Reductions.sum(in[0], axis), wrt("x", x, 2, 3, 4)));
            tests.add(check("mean over axis " + axis, in -> Reductions.mean(in[0], axis), wrt("x", x, 2, 3, 4)));
        }
    }

    private void softmaxAndLosses(List<DynamicTest> tests) {
        SeededArrays rnd = new SeededArrays(41);
        float[] logits = rnd.uniform(20, -2, 2);
        tests.add(check("softmax", in -> Softmax.softmax(in[0]), wrt("x", logits, 4, 5)));
        tests.add(check("softmax over the last of 3 axes", in -> Softmax.softmax(in[0]), wrt("x", rnd.uniform(24, -2, 2), 2, 3, 4)));
        float[] labels = rnd.labels(4, 5);
        tests.add(check("crossEntropy", in -> Losses.crossEntropy(in[0], in[1]), wrt("logits", logits, 4, 5), constant("labels", labels, 4)));
        float[] bceLogits = rnd.uniform(12, -3, 3);
        float[] targets = rnd.uniform(12, 0, 1);
        tests.add(check("bceWithLogits", in -> Losses.bceWithLogits(in[0], in[1]), wrt("logits", bceLogits, 3, 4), constant("targets", targets, 3, 4)));
        float[] pred = rnd.uniform(12, -2, 2);
        float[] target = rnd.uniform(12, -2, 2);
        tests.add(check("mse", in -> Losses.mse(in[0], in[1]), wrt("prediction", pred, 3, 4), wrt("target", target, 3, 4)));
    }

    private void composite(List<DynamicTest> tests) {
        // a two-layer network end to end: cross-entropy(linear(tanh(linear(x))))
        SeededArrays rnd = new SeededArrays(51);
        tests.add(check("two-layer network with cross-entropy",
                in -> Losses.crossEntropy(Linear.linear(Linear.linear(in[0], in[1], in[2], UnaryOp.TANH, 0f), in[3], in[4], UnaryOp.IDENTITY, 0f), in[5]),
                wrt("x", rnd.uniform(12, -1, 1), 4, 3), wrt("W1", rnd.uniform(15, -1, 1), 5, 3), wrt("b1", rnd.uniform(5, -1, 1), 5),
                wrt("W2", rnd.uniform(15, -1, 1), 3, 5), wrt("b2", rnd.uniform(3, -1, 1), 3), constant("labels", rnd.labels(4, 3), 4)));
    }
}

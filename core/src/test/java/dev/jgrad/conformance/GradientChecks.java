package dev.jgrad.conformance;

import dev.jgrad.spi.Activations;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.ops.Elementwise;
import dev.jgrad.ops.Linear;
import dev.jgrad.ops.Loss;
import dev.jgrad.ops.MatMul;
import dev.jgrad.ops.Reductions;
import dev.jgrad.ops.Softmax;
import dev.jgrad.testing.HostMath;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.testing.SeededArrays;
import org.junit.jupiter.api.DynamicTest;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.jgrad.conformance.FiniteDifferences.Input.constant;
import static dev.jgrad.conformance.FiniteDifferences.Input.wrt;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        softmax(tests);
        losses(tests);
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

    private void softmax(List<DynamicTest> tests) {
        SeededArrays rnd = new SeededArrays(41);
        tests.add(check("softmax", in -> Softmax.softmax(in[0]), wrt("x", rnd.uniform(20, -2, 2), 4, 5)));
        tests.add(check("softmax over the last of 3 axes", in -> Softmax.softmax(in[0]), wrt("x", rnd.uniform(24, -2, 2), 2, 3, 4)));
    }

    /** The factories of {@link Loss} these checks cover; a factory added there without a case here fails {@link #losses}. */
    private static final Set<String> CHECKED_LOSSES = Set.of("crossEntropy", "bceWithLogits", "mse", "l1", "huber");

    /**
     * Every built-in loss: its gradient against finite differences, and its value against float64 on the
     * host (relative 1e-5: each is a mean of a few dozen terms). Targets of L1 and Huber keep |output - target|
     * more than 2h away from the kinks at 0 and delta, where a central difference straddles them.
     */
    private void losses(List<DynamicTest> tests) {
        SeededArrays rnd = new SeededArrays(43);
        float[] logits = rnd.uniform(20, -2, 2);
        float[] labels = rnd.labels(4, 5);
        float[] soft = rnd.uniform(20, 0.05, 1);
        for (int r = 0; r < 4; r++) {
            double sum = 0;
            for (int c = 0; c < 5; c++) sum += soft[r * 5 + c];
            for (int c = 0; c < 5; c++) soft[r * 5 + c] /= (float) sum;
        }
        float[] out = rnd.uniform(12, -2, 2);
        float[] probs = rnd.uniform(12, 0, 1);
        float[] target = new float[12];
        float[] gaps = rnd.uniform(12, 0, 1);
        for (int i = 0; i < 12; i++) {
            double gap = gaps[i] < 0.5 ? 0.1 + 0.6 * gaps[i] : 0.7 + 0.8 * (gaps[i] - 0.5);      // in [0.1, 0.4] or [0.7, 1.1]
            target[i] = (float) (out[i] + (i % 2 == 0 ? gap : -gap));
        }
        float delta = 0.55f;

        tests.add(check("loss crossEntropy, class indices", in -> Loss.crossEntropy().apply(in[0], in[1]),
                wrt("logits", logits, 4, 5), constant("labels", labels, 4)));
        tests.add(check("loss crossEntropy, probabilities", in -> Loss.crossEntropy().apply(in[0], in[1]),
                wrt("logits", logits, 4, 5), constant("targets", soft, 4, 5)));
        tests.add(check("loss bceWithLogits", in -> Loss.bceWithLogits().apply(in[0], in[1]),
                wrt("logits", out, 3, 4), constant("targets", probs, 3, 4)));
        tests.add(check("loss mse", in -> Loss.mse().apply(in[0], in[1]), wrt("output", out, 3, 4), wrt("target", target, 3, 4)));
        tests.add(check("loss l1", in -> Loss.l1().apply(in[0], in[1]), wrt("output", out, 3, 4), wrt("target", target, 3, 4)));
        tests.add(check("loss huber", in -> Loss.huber(delta).apply(in[0], in[1]), wrt("output", out, 3, 4), constant("target", target, 3, 4)));

        double ceIndex = 0, ceSoft = 0, bce = 0, mse = 0, l1 = 0, huber = 0;
        for (int r = 0; r < 4; r++) {
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int c = 0; c < 5; c++) max = Math.max(max, logits[r * 5 + c]);
            for (int c = 0; c < 5; c++) z += Math.exp(logits[r * 5 + c] - max);
            double logZ = max + Math.log(z);
            ceIndex += (logZ - logits[r * 5 + (int) labels[r]]) / 4;
            for (int c = 0; c < 5; c++) ceSoft += soft[r * 5 + c] * (logZ - logits[r * 5 + c]) / 4;
        }
        for (int i = 0; i < 12; i++) {
            double x = out[i], d = out[i] - (double) target[i];
            bce += (Math.max(x, 0) - x * probs[i] + Math.log1p(Math.exp(-Math.abs(x)))) / 12;
            mse += d * d / 12;
            l1 += Math.abs(d) / 12;
            huber += (Math.abs(d) <= delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta)) / 12;
        }
        tests.add(value("crossEntropy, class indices", Loss.crossEntropy(), logits, new int[]{4, 5}, labels, new int[]{4}, ceIndex));
        tests.add(value("crossEntropy, probabilities", Loss.crossEntropy(), logits, new int[]{4, 5}, soft, new int[]{4, 5}, ceSoft));
        tests.add(value("bceWithLogits", Loss.bceWithLogits(), out, new int[]{3, 4}, probs, new int[]{3, 4}, bce));
        tests.add(value("mse", Loss.mse(), out, new int[]{3, 4}, target, new int[]{3, 4}, mse));
        tests.add(value("l1", Loss.l1(), out, new int[]{3, 4}, target, new int[]{3, 4}, l1));
        tests.add(value("huber", Loss.huber(delta), out, new int[]{3, 4}, target, new int[]{3, 4}, huber));

        tests.add(dynamicTest("every factory of Loss is checked", () -> {
            Set<String> factories = new TreeSet<>();
            for (Method m : Loss.class.getDeclaredMethods()) {
                boolean factory = Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Loss.class
                        && Arrays.stream(m.getParameterTypes()).allMatch(Class::isPrimitive);      // not named(String)
                if (factory) factories.add(m.getName());
            }
            assertEquals(new TreeSet<>(CHECKED_LOSSES), factories, "add a gradient and a value check for each new loss");
            for (Loss l : List.of(Loss.crossEntropy(), Loss.bceWithLogits(), Loss.mse(), Loss.l1(), Loss.huber(1f), Loss.huber(delta))) {
                assertEquals(l.name(), Loss.named(l.name()).name(), "a built-in loss is found again by its name");
            }
        }));
    }

    private DynamicTest value(String name, Loss loss, float[] out, int[] outShape, float[] target, int[] targetShape, double expected) {
        return dynamicTest("loss value " + name, () -> {
            try (Scope s = Scope.open()) {
                float got = loss.apply(Tensor.of(device, out, outShape), Tensor.of(device, target, targetShape)).item();
                assertEquals(expected, got, 1e-5 * Math.max(1, Math.abs(expected)), name);
            }
        });
    }

    private void composite(List<DynamicTest> tests) {
        // a two-layer network end to end: cross-entropy(linear(tanh(linear(x))))
        SeededArrays rnd = new SeededArrays(51);
        tests.add(check("two-layer network with cross-entropy",
                in -> Loss.crossEntropy().apply(Linear.linear(Linear.linear(in[0], in[1], in[2], UnaryOp.TANH, 0f), in[3], in[4], UnaryOp.IDENTITY, 0f), in[5]),
                wrt("x", rnd.uniform(12, -1, 1), 4, 3), wrt("W1", rnd.uniform(15, -1, 1), 5, 3), wrt("b1", rnd.uniform(5, -1, 1), 5),
                wrt("W2", rnd.uniform(15, -1, 1), 3, 5), wrt("b2", rnd.uniform(3, -1, 1), 3), constant("labels", rnd.labels(4, 3), 4)));
    }
}

package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.ops.Elementwise;
import dev.jgrad.ops.Reductions;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.testing.HostMath;
import dev.jgrad.testing.SeededArrays;
import dev.jgrad.testing.Tolerance;

import java.util.List;
import java.util.function.Function;

/**
 * The optimizer classes on the device under test, against closed forms: with the loss sum(p * c) the
 * gradient is the constant c, and every optimizer's trajectory has a formula. This covers what the
 * kernel tests do not: the host side (step counts, bias corrections, state buffers, zeroGrad).
 */
final class OptimizerChecks {
    private final Device device;

    OptimizerChecks(Device device) {
        this.device = device;
    }

    /** Runs {@code steps} steps on p with gradient c and returns p. */
    @SuppressWarnings("try")   // the scope frees each step's tensors
    private float[] run(float[] p0, float[] c, int steps, Function<List<Tensor>, Optimizer> make) {
        Tensor p = Tensor.of(device, p0, p0.length).keep().requiresGrad(true);
        Tensor constant = Tensor.of(device, c, c.length).keep();
        Optimizer opt = make.apply(List.of(p));
        try {
            for (int s = 0; s < steps; s++) {
                try (Scope scope = Scope.open()) {
                    opt.zeroGrad();
                    Reductions.sum(Elementwise.mul(p, constant)).backward();
                    opt.step();
                }
            }
            return p.toArray();
        } finally {
            p.close();
            constant.close();
            opt.stateDict().values().forEach(Tensor::close);
        }
    }

    void closedFormSteps() {
        int n = 257;
        SeededArrays rnd = new SeededArrays(8);
        float[] p = rnd.uniform(n, -1, 1);
        float[] c = rnd.awayFromZero(n, 0.01, 2);
        float lr = 0.01f, m = 0.9f;
        double[] sgd = new double[n], momentum = new double[n], nesterov = new double[n], adam = new double[n], adamW = new double[n];
        for (int i = 0; i < n; i++) {
            // plain: 3 steps of lr*c
            sgd[i] = p[i] - 3.0 * lr * c[i];
            // momentum from zero velocity: v = c, (1+m)c, (1+m+m^2)c
            momentum[i] = p[i] - lr * c[i] * (1 + (1 + m) + (1 + m + m * m));
            // Nesterov: each step is c + m*v, with v as above: (1+m)c, (1+m+m^2)c, (1+m+m^2+m^3)c
            nesterov[i] = p[i] - lr * c[i] * ((1 + m) + (1 + m + m * m) + (1 + m + m * m + m * m * m));
            // Adam: with a constant gradient the bias-corrected moments are exactly c and c^2, so every step
            // is lr*c/(|c| + eps)
            adam[i] = p[i] - 3.0 * lr * c[i] / (Math.abs(c[i]) + 1e-8);
        }
        // AdamW (decay 0.1): p_t = p_{t-1}(1 - lr*wd) - lr*c/(|c| + eps)
        for (int i = 0; i < n; i++) {
            double q = p[i];
            for (int s = 0; s < 3; s++) q = q * (1 - lr * 0.1) - lr * c[i] / (Math.abs(c[i]) + 1e-8);
            adamW[i] = q;
        }
        // three steps of a few roundings each on values of order 1: 64U absolute is generous and a
        // missing term (momentum, bias correction, decay) is at least lr*0.01 = 1e-4 = 1700U
        Tolerance tol = Tolerance.roundoffs(64, 16);
        tol.check("SGD, 3 steps on a constant gradient", HostMath.toFloat(sgd), run(p, c, 3, ps -> new SGD(ps, lr)));
        tol.check("SGD momentum, 3 steps on a constant gradient", HostMath.toFloat(momentum), run(p, c, 3, ps -> new SGD(ps, lr, m)));
        tol.check("SGD Nesterov, 3 steps on a constant gradient", HostMath.toFloat(nesterov), run(p, c, 3, ps -> new SGD(ps, lr, m, true, 0f)));
        tol.check("Adam, 3 steps on a constant gradient move by lr*sign(c) each", HostMath.toFloat(adam), run(p, c, 3, ps -> new Adam(ps, lr)));
        tol.check("AdamW, 3 steps on a constant gradient", HostMath.toFloat(adamW), run(p, c, 3, ps -> new AdamW(ps, lr, 0.1f)));
    }
}

package dev.jgrad.optim;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

import java.util.List;

/** Gradient clipping between backward and the optimizer step, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient by maxNorm / (norm + 1e-6) when the global L2 norm over all of them exceeds
     * maxNorm. The sum of squares is computed on the device; only the one total is read back.
     *
     * @param params  the parameters whose gradients to clip (those without a gradient are skipped), all on one
     *                device
     * @param maxNorm the largest global L2 norm allowed, positive
     * @return the global norm before clipping; 0 when no parameter has a gradient
     * @throws IllegalArgumentException when {@code maxNorm} is not positive or the parameters are on different
     *                                  devices
     */
    public static float byNorm(List<Tensor> params, float maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("max gradient norm must be positive, got " + maxNorm);
        Device d = null;
        Buffer total = null;
        DeviceMemory pool = null;
        boolean first = true;
        try {
            for (Tensor p : params) {
                if (!p.hasGrad()) continue;
                if (d == null) {
                    d = p.device();
                    pool = d.memory();
                    total = pool.take(1);
                } else if (p.device() != d) {
                    throw new IllegalArgumentException("byNorm: parameters on different devices");
                }
                int n = p.size();
                Buffer sq = pool.take(n);
                try {
                    d.kernels().unary(UnaryOp.SQUARE, 0f, n, p.gradBuffer(), sq);
                    d.kernels().reduceSum(1, n, 1, sq, total, 1f, !first);
                } finally {
                    pool.give(sq);
                }
                first = false;
            }
            if (d == null) return 0f;
            float[] host = new float[1];
            d.kernels().read(total, 0, host, 0, 1);
            float norm = (float) Math.sqrt(host[0]);
            if (norm > maxNorm) {
                float scale = maxNorm / (norm + 1e-6f);
                for (Tensor p : params) if (p.hasGrad()) d.kernels().axpby(p.size(), 0f, p.gradBuffer(), scale, p.gradBuffer());
            }
            return norm;
        } finally {
            if (total != null) pool.give(total);
        }
    }

    /**
     * Clamps every gradient element into [-clip, clip].
     *
     * @param params the parameters whose gradients to clamp (those without a gradient are skipped)
     * @param clip   the largest magnitude allowed, positive
     * @throws IllegalArgumentException when {@code clip} is not positive
     */
    public static void byValue(List<Tensor> params, float clip) {
        if (!(clip > 0)) throw new IllegalArgumentException("gradient clip value must be positive, got " + clip);
        for (Tensor p : params) {
            if (p.hasGrad()) p.device().kernels().clamp(p.size(), -clip, clip, p.gradBuffer(), p.gradBuffer());
        }
    }
}

package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, and AdamW (Loshchilov and Hutter, 2019) when
 * {@code decoupledWeightDecay}: PyTorch's formulas, one fused kernel per parameter.
 */
public class Adam extends StepCountingOptimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private final Tensor[] m;
    private final Tensor[] v;

    /**
     * Adam or AdamW with every option; the two moment buffers per parameter are allocated on its device.
     *
     * @param params               the tensors to update, each requiring grad
     * @param lr                   the learning rate, positive (0.001 is the usual start)
     * @param beta1                decay of the running mean of gradients, in [0, 1) (PyTorch: 0.9)
     * @param beta2                decay of the running mean of squared gradients, in [0, 1) (PyTorch: 0.999)
     * @param eps                  added to the denominator's square root for stability (PyTorch: 1e-8)
     * @param weightDecay          weight decay coefficient; 0 for none
     * @param decoupledWeightDecay false: L2 decay added to the gradient (Adam's {@code weight_decay}); true:
     *                             {@code w -= lr * weightDecay * w} applied apart from the adaptive step (AdamW)
     * @throws IllegalArgumentException when a beta is outside [0, 1) or another value is out of range
     */
    public Adam(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupledWeightDecay) {
        super(params, lr);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) throw new IllegalArgumentException("Adam betas must be in [0, 1)");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupledWeightDecay;
        m = new Tensor[this.params.size()];
        v = new Tensor[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            Tensor p = this.params.get(i);
            m[i] = Tensor.zeros(p.device(), p.shape()).keep();
            v[i] = Tensor.zeros(p.device(), p.shape()).keep();
        }
    }

    /**
     * Adam with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8) and no weight decay.
     *
     * @param params the tensors to update, each requiring grad
     * @param lr     the learning rate, positive (0.001 is the usual start)
     */
    public Adam(List<Tensor> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    @Override
    public void step() {
        t++;
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float bc2 = (float) (1 - Math.pow(beta2, t));
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.hasGrad()) continue;
            p.device().kernels().adamStep(p.size(), p.buffer(), p.gradBuffer(), m[i].buffer(), v[i].buffer(), lr, beta1, beta2, eps,
                    weightDecay, decoupled, bc1, bc2);
        }
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) {
            out.put(i + ".exp_avg", m[i]);
            out.put(i + ".exp_avg_sq", v[i]);
        }
        return out;
    }
}

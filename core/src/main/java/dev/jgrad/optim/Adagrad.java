package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi et al., 2011) with PyTorch's formulas and defaults (eps 1e-10): the rate of step t is
 * lr / (1 + (t-1)*lrDecay), computed on the host; one fused kernel per parameter.
 */
public final class Adagrad extends StepCountingOptimizer {
    private final float lrDecay;
    private final float eps;
    private final float weightDecay;
    private final Tensor[] sum;

    /**
     * Adagrad with every option; the per-element sums of squared gradients are allocated on the parameters' device.
     *
     * @param params             the tensors to update, each requiring grad
     * @param lr                 the base learning rate, positive (PyTorch: 0.01)
     * @param lrDecay            the rate of step t is {@code lr / (1 + (t-1) * lrDecay)}; 0 or more
     * @param weightDecay        L2 coefficient added as {@code weightDecay * w} to each gradient; 0 for none
     * @param initialAccumulator the starting value of each element's sum of squared gradients, 0 or more
     * @param eps                added to the denominator's square root, positive (PyTorch: 1e-10)
     * @throws IllegalArgumentException when a value is out of range
     */
    public Adagrad(List<Tensor> params, float lr, float lrDecay, float weightDecay, float initialAccumulator, float eps) {
        super(params, lr);
        if (!(lrDecay >= 0)) throw new IllegalArgumentException("Adagrad lr decay must be >= 0, got " + lrDecay);
        if (!(eps > 0)) throw new IllegalArgumentException("Adagrad eps must be positive, got " + eps);
        if (!(initialAccumulator >= 0)) throw new IllegalArgumentException("Adagrad initial accumulator must be >= 0");
        this.lrDecay = lrDecay;
        this.eps = eps;
        this.weightDecay = weightDecay;
        sum = new Tensor[this.params.size()];
        for (int i = 0; i < sum.length; i++) {
            Tensor p = this.params.get(i);
            sum[i] = Tensor.full(p.device(), initialAccumulator, p.shape()).keep();
        }
    }

    /**
     * Adagrad with PyTorch's defaults: no rate decay, no weight decay, accumulators from 0, eps 1e-10.
     *
     * @param params the tensors to update, each requiring grad
     * @param lr     the learning rate, positive (PyTorch: 0.01)
     */
    public Adagrad(List<Tensor> params, float lr) {
        this(params, lr, 0f, 0f, 0f, 1e-10f);
    }

    @Override
    public void step() {
        t++;
        float clr = lr / (1f + (t - 1) * lrDecay);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.hasGrad()) continue;
            p.device().kernels().adagradStep(p.size(), p.buffer(), p.gradBuffer(), sum[i].buffer(), clr, eps, weightDecay);
        }
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < sum.length; i++) out.put(i + ".sum", sum[i]);
        return out;
    }
}

package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RMSprop (Hinton's lecture 6e) with PyTorch's formulas and defaults (alpha 0.99, eps 1e-8), not centered; one fused kernel per parameter. */
public final class RMSprop extends Optimizer {
    private final float alpha;
    private final float eps;
    private final float weightDecay;
    private final float momentum;
    private final Tensor[] squareAvg;
    private final Tensor[] momentumBuffer;

    /**
     * RMSprop with every option; its buffers are allocated on the parameters' device.
     *
     * @param params      the tensors to update, each requiring grad
     * @param lr          the learning rate, positive (0.001 is the usual start)
     * @param alpha       decay of the running mean of squared gradients, in [0, 1) (PyTorch: 0.99)
     * @param eps         added to the denominator's square root, positive (PyTorch: 1e-8)
     * @param weightDecay L2 coefficient added as {@code weightDecay * w} to each gradient; 0 for none
     * @param momentum    momentum factor in [0, 1); 0 keeps no momentum buffers
     * @throws IllegalArgumentException when a value is out of range
     */
    public RMSprop(List<Tensor> params, float lr, float alpha, float eps, float weightDecay, float momentum) {
        super(params, lr);
        if (!(alpha >= 0 && alpha < 1)) throw new IllegalArgumentException("RMSprop alpha must be in [0, 1), got " + alpha);
        if (!(eps > 0)) throw new IllegalArgumentException("RMSprop eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("RMSprop momentum must be in [0, 1), got " + momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        squareAvg = new Tensor[this.params.size()];
        momentumBuffer = new Tensor[this.params.size()];
        for (int i = 0; i < squareAvg.length; i++) {
            Tensor p = this.params.get(i);
            squareAvg[i] = Tensor.zeros(p.device(), p.shape()).keep();
            if (momentum > 0) momentumBuffer[i] = Tensor.zeros(p.device(), p.shape()).keep();
        }
    }

    /**
     * RMSprop with PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay, no momentum.
     *
     * @param params the tensors to update, each requiring grad
     * @param lr     the learning rate, positive
     */
    public RMSprop(List<Tensor> params, float lr) {
        this(params, lr, 0.99f, 1e-8f, 0f, 0f);
    }

    @Override
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.hasGrad()) continue;
            p.device().kernels().rmspropStep(p.size(), p.buffer(), p.gradBuffer(), squareAvg[i].buffer(),
                    momentumBuffer[i] == null ? null : momentumBuffer[i].buffer(), lr, alpha, eps, weightDecay, momentum);
        }
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < squareAvg.length; i++) {
            out.put(i + ".square_avg", squareAvg[i]);
            if (momentumBuffer[i] != null) out.put(i + ".momentum_buffer", momentumBuffer[i]);
        }
        return out;
    }
}

package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay (PyTorch's semantics). */
public final class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final Tensor[] velocity;

    /**
     * SGD with every option; with momentum, one velocity buffer per parameter is allocated on its device.
     *
     * @param params      the tensors to update, each requiring grad
     * @param lr          the learning rate, positive
     * @param momentum    the momentum factor in [0, 1); 0 is plain gradient descent and keeps no velocity buffers
     * @param nesterov    whether to use Nesterov momentum (needs {@code momentum > 0})
     * @param weightDecay the L2 coefficient added as {@code weightDecay * w} to each gradient before the update;
     *                    0 for none
     * @throws IllegalArgumentException when a value is out of range
     */
    public SGD(List<Tensor> params, float lr, float momentum, boolean nesterov, float weightDecay) {
        super(params, lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.velocity = new Tensor[this.params.size()];
        if (momentum > 0) {
            for (int i = 0; i < velocity.length; i++) {
                Tensor p = this.params.get(i);
                velocity[i] = Tensor.zeros(p.device(), p.shape()).keep();
            }
        }
    }

    /**
     * Plain gradient descent: {@code w -= lr * grad}.
     *
     * @param params the tensors to update, each requiring grad
     * @param lr     the learning rate, positive
     */
    public SGD(List<Tensor> params, float lr) {
        this(params, lr, 0f, false, 0f);
    }

    /**
     * Gradient descent with (heavy-ball) momentum and no weight decay.
     *
     * @param params   the tensors to update, each requiring grad
     * @param lr       the learning rate, positive
     * @param momentum the momentum factor in [0, 1), typically 0.9
     */
    public SGD(List<Tensor> params, float lr, float momentum) {
        this(params, lr, momentum, false, 0f);
    }

    @Override
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.hasGrad()) continue;
            p.device().kernels().sgdStep(p.size(), p.buffer(), p.gradBuffer(), velocity[i] == null ? null : velocity[i].buffer(),
                    lr, momentum, weightDecay, nesterov);
        }
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < velocity.length; i++) if (velocity[i] != null) out.put(i + ".momentum_buffer", velocity[i]);
        return out;
    }
}

package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.io.Serializable;
import java.util.List;

/**
 * An optimizer by name and settings, without parameters yet: what a command line or a configuration names, made
 * into an optimizer with {@link #create}. It is serializable, so a distributed run can ship it to its workers,
 * each of which makes the same optimizer over its own replica's parameters.
 *
 * @param kind        which optimizer
 * @param lr          the learning rate, positive and finite
 * @param momentum    the momentum of {@link Kind#MOMENTUM} and {@link Kind#NESTEROV}, in [0, 1); ignored otherwise
 * @param weightDecay L2 weight decay (decoupled for {@link Kind#ADAMW}), 0 or more
 */
public record OptimizerSpec(Kind kind, float lr, float momentum, float weightDecay) implements Serializable {
    /** The optimizers by name, with PyTorch's defaults for their other settings. */
    public enum Kind {
        /** Plain stochastic gradient descent. */
        SGD,
        /** SGD with (heavy-ball) momentum. */
        MOMENTUM,
        /** SGD with Nesterov momentum. */
        NESTEROV,
        /** Adam, betas 0.9 and 0.999, eps 1e-8. */
        ADAM,
        /** Adam with decoupled weight decay. */
        ADAMW,
        /** RMSprop, alpha 0.99, eps 1e-8. */
        RMSPROP,
        /** AdaGrad, eps 1e-10. */
        ADAGRAD;

        /** {@return the learning rate used when none is given: 0.001 for the adaptive ones, 0.01 for AdaGrad, 0.05 for SGD} */
        public float defaultLr() {
            return switch (this) {
                case ADAM, ADAMW, RMSPROP -> 0.001f;
                case ADAGRAD -> 0.01f;
                case SGD, MOMENTUM, NESTEROV -> 0.05f;
            };
        }
    }

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when {@code kind} is null, {@code lr} is not positive and finite,
     *                                  {@code momentum} is outside [0, 1) or {@code weightDecay} is negative
     */
    public OptimizerSpec {
        if (kind == null) throw new IllegalArgumentException("an optimizer spec needs a kind");
        if (!(lr > 0) || !Float.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be 0 or more, got " + weightDecay);
    }

    /**
     * Makes the optimizer over {@code params}.
     *
     * @param params the tensors to update, usually {@code Module.parameters()}
     * @return a new optimizer of this kind and these settings
     */
    public Optimizer create(List<Tensor> params) {
        return switch (kind) {
            case SGD -> new SGD(params, lr, 0f, false, weightDecay);
            case MOMENTUM -> new SGD(params, lr, momentum, false, weightDecay);
            case NESTEROV -> new SGD(params, lr, momentum, true, weightDecay);
            case ADAM -> new Adam(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, false);
            case ADAMW -> new Adam(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, true);
            case RMSPROP -> new RMSprop(params, lr, 0.99f, 1e-8f, weightDecay, 0f);
            case ADAGRAD -> new Adagrad(params, lr, 0f, weightDecay, 0f, 1e-10f);
        };
    }
}

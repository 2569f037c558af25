package dev.jgrad.spark;

import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.Tensor;

import java.io.Serializable;
import java.util.List;

/**
 * Makes the optimizer of a model replica. Every Spark task of a segment makes its own, over its own replica's
 * parameters, and then loads the optimizer state the driver broadcast, so the factory is shipped to the
 * executors: a lambda such as {@code params -> new Adam(params, 1e-3f)} is serializable when its target type
 * is this interface, as long as what it captures is.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /**
     * Makes an optimizer, as PyTorch's {@code torch.optim.Adam(model.parameters(), lr=...)}.
     *
     * @param parameters the replica's parameters ({@code Module.parameters()}), on the replica's device
     * @return a fresh optimizer over exactly these parameters, of the same kind and settings on every call
     */
    Optimizer create(List<Tensor> parameters);

    /**
     * The factory of an optimizer named by its settings (as the CLI's {@code --optimizer}, {@code --lr} ...).
     *
     * @param spec the optimizer's kind and settings
     * @return a factory making {@code spec.create(parameters)}
     */
    static OptimizerFactory of(dev.jgrad.optim.OptimizerSpec spec) {
        if (spec == null) throw new IllegalArgumentException("OptimizerFactory.of needs an optimizer spec");
        return spec::create;
    }
}

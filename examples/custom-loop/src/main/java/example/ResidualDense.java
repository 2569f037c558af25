package example;

import dev.jgrad.nn.Init;
import dev.jgrad.nn.Initializer;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.MatMul;
import dev.jgrad.tensor.Tensor;

/**
 * A layer jgrad does not have, written from its public ops: {@code y = x + relu(x W^T + b)} for x of shape
 * [batch, features], with {@code weight} [features, features] and {@code bias} [features] under PyTorch's names.
 * Autograd differentiates it; the layer only declares its parameters (shape and initialiser) and uses them.
 */
public final class ResidualDense extends Module {
    private final int features;

    public ResidualDense(int features) {
        if (features < 1) throw new IllegalArgumentException("features must be positive, got " + features);
        this.features = features;
        registerParameter("weight", new int[]{features, features}, (w, rng) -> Init.HE_UNIFORM.fill(w, features, features, rng));
        registerParameter("bias", new int[]{features}, Initializer.constant(0f));
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.add(MatMul.matmul(x, weight(), false, true).add(tensor("bias")).relu());
    }

    public Tensor weight() {
        return tensor("weight");
    }

    @Override
    public String describe() {
        return "residual_dense(" + features + ")";
    }
}

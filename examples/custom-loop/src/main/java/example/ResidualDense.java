package example;

import dev.jgrad.device.Device;
import dev.jgrad.nn.Init;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.MatMul;
import dev.jgrad.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer jgrad does not have, written from its public ops: {@code y = x + relu(x W^T + b)} for x of shape
 * [batch, features], with {@code weight} [features, features] and {@code bias} [features] under PyTorch's names.
 * Autograd differentiates it; the layer only says how its parameters are made and named.
 */
public final class ResidualDense extends Module {
    private final int features;
    private Tensor weight;
    private Tensor bias;

    public ResidualDense(int features) {
        if (features < 1) throw new IllegalArgumentException("features must be positive, got " + features);
        this.features = features;
    }

    @Override
    protected void place(Device device, SplittableRandom rng) {
        if (weight != null) weight.close();
        if (bias != null) bias.close();
        float[] w = new float[features * features];
        Init.HE_UNIFORM.fill(w, features, features, rng);
        // keep(): parameters outlive the Scope they may be made in.
        weight = Tensor.of(device, w, features, features).keep().requiresGrad(true);
        bias = Tensor.zeros(device, features).keep().requiresGrad(true);
    }

    @Override
    protected void collectState(String prefix, Map<String, Tensor> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (weight == null) throw new IllegalStateException(describe() + " has no parameters yet: call to(device, seed) first");
        return x.add(MatMul.matmul(x, weight, false, true).add(bias).relu());
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public String describe() {
        return "residual_dense(" + features + ")";
    }
}

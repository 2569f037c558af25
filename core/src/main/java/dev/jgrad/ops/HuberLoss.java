package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;

/** The Huber loss (PyTorch's {@code huber_loss}, mean reduction): quadratic within delta of the target, linear beyond. */
public final class HuberLoss {
    private HuberLoss() {}

    public static Tensor huber(Tensor pred, Tensor target, float delta) {
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("huber: prediction " + pred.shapeString() + " and target " + target.shapeString() + " differ in shape");
        }
        if (!(delta > 0)) throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        int n = pred.size();
        Device d = pred.device();
        Tensor loss = Tensor.result(d, new int[0], Tensor.recording(pred) ? new Backward(pred, target, delta) : null);
        DeviceMemory pool = DeviceMemory.of(d);
        Buffer each = pool.take(n);
        try {
            d.huberLoss(n, delta, pred.buffer(), target.buffer(), each);
            d.reduceSum(1, n, 1, each, loss.buffer(), 1f / n, false);
        } finally {
            pool.give(each);
        }
        return loss;
    }

    private static final class Backward extends Node {
        private final Tensor target;
        private final float delta;

        Backward(Tensor pred, Tensor target, float delta) {
            super(pred);
            this.target = target;
            this.delta = delta;
        }

        @Override
        public String name() {
            return "huber_loss";
        }

        @Override
        public void backward(Tensor loss) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().huberLossBackward(x.size(), delta, x.buffer(), target.buffer(), loss.gradBuffer(), 1f / x.size(),
                    slot.buffer(), slot.accumulate());
        }
    }
}

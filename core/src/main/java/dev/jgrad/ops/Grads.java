package dev.jgrad.ops;

import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

/** Helpers the ops' backward passes share. */
final class Grads {
    private Grads() {}

    /**
     * Adds {@code scale * g} (g has the op's full output size n) into {@code target}'s gradient,
     * summing over the axes along which {@code target} was broadcast.
     */
    static void reduceInto(Tensor target, Broadcast bc, int n, Buffer g, float scale) {
        Tensor.GradSlot slot = target.gradSlot();
        if (slot == null) return;
        Device d = target.device();
        int mod = bc.mod();
        int div = bc.div();
        int outer = n / (mod * div);
        if (outer == 1 && div == 1) {
            if (slot.accumulate() || scale != 1f) {
                if (!slot.accumulate()) d.kernels().fill(slot.buffer(), n, 0f);
                d.kernels().axpby(n, scale, g, 1f, slot.buffer());
            } else {
                d.kernels().copy(g, slot.buffer(), n);
            }
            return;
        }
        if (outer == 1) {
            d.kernels().reduceSum(mod, div, 1, g, slot.buffer(), scale, slot.accumulate());
        } else if (div == 1) {
            d.kernels().reduceSum(1, outer, mod, g, slot.buffer(), scale, slot.accumulate());
        } else {
            DeviceMemory pool = d.memory();
            Buffer tmp = pool.take(mod * div);
            try {
                d.kernels().reduceSum(1, outer, mod * div, g, tmp, 1f, false);
                d.kernels().reduceSum(mod, div, 1, tmp, slot.buffer(), scale, slot.accumulate());
            } finally {
                pool.give(tmp);
            }
        }
    }
}

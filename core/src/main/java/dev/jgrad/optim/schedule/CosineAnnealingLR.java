package dev.jgrad.optim.schedule;

/**
 * Cosine annealing (Loshchilov and Hutter, 2017, without restarts), as PyTorch's {@code CosineAnnealingLR}
 * in closed form: lr = minLr + (base - minLr) * (1 + cos(pi * epoch / epochs)) / 2, then minLr after
 * {@code epochs}. Evaluated at fractional epochs it decays smoothly within an epoch.
 *
 * @param epochs the length of the decay in epochs (PyTorch's {@code T_max}), positive
 * @param minLr  the rate at the end of the decay and after it (PyTorch's {@code eta_min}), 0 or more
 */
public record CosineAnnealingLR(double epochs, float minLr) implements LrSchedule {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when {@code epochs} is not positive or {@code minLr} is negative
     */
    public CosineAnnealingLR {
        if (!(epochs > 0)) throw new IllegalArgumentException("cosine schedule needs a positive number of epochs, got " + epochs);
        if (!(minLr >= 0)) throw new IllegalArgumentException("cosine schedule needs a minimum rate >= 0, got " + minLr);
    }

    @Override
    public float lr(float base, double epoch) {
        double t = Math.min(epoch, epochs) / epochs;
        return (float) (minLr + (base - minLr) * (1 + Math.cos(Math.PI * t)) / 2);
    }

    @Override
    public String describe() {
        return "cosine(" + epochs + " epochs, min " + minLr + ")";
    }
}

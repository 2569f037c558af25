package dev.jgrad.optim.schedule;

/**
 * Cosine annealing (Loshchilov and Hutter, 2017, without restarts), as PyTorch's {@code CosineAnnealingLR}
 * in closed form: lr = minLr + (base - minLr) * (1 + cos(pi * epoch / epochs)) / 2, then minLr after
 * {@code epochs}. Evaluated at fractional epochs it decays smoothly within an epoch.
 */
public record CosineAnnealingLR(double epochs, float minLr) implements LrSchedule {
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

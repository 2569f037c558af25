package dev.jgrad.optim.schedule;

/** PyTorch's {@code ExponentialLR}: the rate is multiplied by gamma every epoch. */
public record ExponentialLR(float gamma) implements LrSchedule {
    public ExponentialLR {
        if (!(gamma > 0)) throw new IllegalArgumentException("exponential schedule needs gamma > 0, got " + gamma);
    }

    @Override
    public float lr(float base, double epoch) {
        return (float) (base * Math.pow(gamma, Math.floor(epoch)));
    }

    @Override
    public String describe() {
        return "exponential(x" + gamma + " per epoch)";
    }
}

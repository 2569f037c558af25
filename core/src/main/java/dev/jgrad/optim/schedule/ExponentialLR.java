package dev.jgrad.optim.schedule;

/**
 * PyTorch's {@code ExponentialLR}: the rate is multiplied by gamma every epoch.
 *
 * @param gamma the factor per whole epoch, positive (below 1 to decay)
 */
public record ExponentialLR(float gamma) implements LrSchedule {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when {@code gamma} is not positive
     */
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

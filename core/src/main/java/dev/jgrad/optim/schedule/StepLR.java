package dev.jgrad.optim.schedule;

/**
 * PyTorch's {@code StepLR}: the rate is multiplied by gamma every {@code stepSize} epochs.
 *
 * @param stepSize the number of whole epochs between two changes, 1 or more
 * @param gamma    the factor applied at each change, positive (0.1 is usual)
 */
public record StepLR(int stepSize, float gamma) implements LrSchedule {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when {@code stepSize} is below 1 or {@code gamma} is not positive
     */
    public StepLR {
        if (stepSize < 1) throw new IllegalArgumentException("step schedule needs a step size >= 1, got " + stepSize);
        if (!(gamma > 0)) throw new IllegalArgumentException("step schedule needs gamma > 0, got " + gamma);
    }

    @Override
    public float lr(float base, double epoch) {
        return (float) (base * Math.pow(gamma, Math.floor(epoch / stepSize)));
    }

    @Override
    public String describe() {
        return "step(every " + stepSize + " epochs x" + gamma + ")";
    }
}

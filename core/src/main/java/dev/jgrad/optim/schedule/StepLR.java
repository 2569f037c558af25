package dev.jgrad.optim.schedule;

/** PyTorch's {@code StepLR}: the rate is multiplied by gamma every {@code stepSize} epochs. */
public record StepLR(int stepSize, float gamma) implements LrSchedule {
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

package dev.jgrad.optim.schedule;

/**
 * Linear warm-up (Goyal et al., 2017): the rate rises linearly from (almost) 0 to the base over the
 * first {@code epochs} epochs (best evaluated per step, at fractional epochs), then follows {@code after}
 * with its clock started at the end of the warm-up.
 *
 * @param epochs the length of the warm-up in epochs, positive (fractional allowed)
 * @param after  the schedule from the end of the warm-up on, seeing epoch 0 there; {@link LrSchedule#constant()}
 *               to stay at the base rate
 */
public record LinearWarmup(double epochs, LrSchedule after) implements LrSchedule {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when {@code epochs} is not positive or {@code after} is null
     */
    public LinearWarmup {
        if (!(epochs > 0)) throw new IllegalArgumentException("warm-up needs a positive number of epochs, got " + epochs);
        if (after == null) throw new IllegalArgumentException("warm-up needs the schedule that follows it");
    }

    @Override
    public float lr(float base, double epoch) {
        if (epoch < epochs) {
            // never exactly 0: the first step must move the weights
            return (float) (base * Math.max(epoch, 0.01 * epochs) / epochs);
        }
        return after.lr(base, epoch - epochs);
    }

    @Override
    public String describe() {
        return "linear warm-up(" + epochs + " epochs) then " + after.describe();
    }
}

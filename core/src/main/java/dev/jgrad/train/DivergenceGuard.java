package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Tensor;

import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Stops training when the loss or a gradient stops being finite, with a one-line message naming the step
 * and the first tensor (in {@code state_dict} order) whose gradient, else value, is not finite.
 *
 * <p>The loss is checked every {@code interval} steps and at the end of each epoch by reading the epoch's
 * running loss sum, which turns non-finite for good once one batch loss is. On the CPU that read costs
 * nothing, so the interval is 1 and the step named is exact; on a GPU each read waits for the device, so
 * the message names the range of steps since the last check. Gradients are read only by
 * {@link #checkGradients}, which checkpoints call before writing.
 */
public final class DivergenceGuard implements StepHook {
    private final Module model;
    private final int interval;
    private long lastGoodStep;

    /**
     * A guard checking the loss every {@code interval} steps.
     *
     * @param model    the model trained, whose gradients and values a failure message searches
     * @param interval steps between two reads of the loss, 1 or more; each read waits for the device
     * @throws IllegalArgumentException when {@code interval} is below 1
     */
    public DivergenceGuard(Module model, int interval) {
        if (interval < 1) throw new IllegalArgumentException("divergence check interval must be at least 1, got " + interval);
        this.model = model;
        this.interval = interval;
    }

    /**
     * A guard with the interval suited to a device: every step on the CPU, where reading the loss is free;
     * every 100 steps on devices where it waits.
     *
     * @param model  the model trained
     * @param device the device it trains on
     * @return the guard, to pass to {@link Trainer#onStep}
     */
    public static DivergenceGuard forDevice(Module model, Device device) {
        return new DivergenceGuard(model, device.info().id().startsWith("cpu") ? 1 : 100);
    }

    @Override
    public void afterStep(TrainingPosition position, int samplesTotal, DoubleSupplier lossSum) {
        if (position.step() % interval == 0 || position.samplesDone() == samplesTotal) checkLoss(position, lossSum.getAsDouble());
    }

    /**
     * Checks the epoch's running loss sum.
     *
     * @param position where training stands, named in the message
     * @param lossSum  the epoch's running sum of batch losses
     * @throws TrainingDivergedException when {@code lossSum} is not finite
     */
    public void checkLoss(TrainingPosition position, double lossSum) {
        if (Double.isFinite(lossSum)) {
            lastGoodStep = Math.max(lastGoodStep, position.step());
            return;
        }
        String when = position.step() - lastGoodStep <= 1 ? "at step " + position.step()
                : "between steps " + (lastGoodStep + 1) + " and " + position.step();
        String value = Double.isNaN(lossSum) ? "NaN" : "infinite";
        throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged %s (epoch %d): the loss is %s; %s",
                when, position.epoch(), value, describe(firstNonFinite())), position.step());
    }

    /**
     * Checks every parameter's gradient and value (reading them all from the device).
     *
     * @param position where training stands, named in the message
     * @throws TrainingDivergedException when a gradient or value is not finite
     */
    public void checkGradients(TrainingPosition position) {
        String where = firstNonFinite();
        if (where != null) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged at step %d (epoch %d): %s",
                    position.step(), position.epoch(), where), position.step());
        }
        lastGoodStep = Math.max(lastGoodStep, position.step());
    }

    private static String describe(String where) {
        return where != null ? where + " (lower the learning rate?)" : "every gradient and parameter is still finite (lower the learning rate?)";
    }

    /** Where the first non-finite gradient, else parameter value, is; null when everything is finite. */
    private String firstNonFinite() {
        Map<String, Tensor> state = model.stateDict();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            float[] g = e.getValue().gradToArray();
            if (g != null && !allFinite(g)) return "the first non-finite gradient is in " + e.getKey();
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (!allFinite(e.getValue().toArray())) return "the first non-finite value is in " + e.getKey();
        }
        return null;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) if (!Float.isFinite(v)) return false;
        return true;
    }
}

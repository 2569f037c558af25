package dev.jgrad.optim.schedule;

import dev.jgrad.optim.Optimizer;

import java.util.Locale;

/**
 * A learning-rate schedule: the rate as a function of training progress measured in epochs, possibly
 * fractional ({@code epoch + batch/batches}), so a training loop may update it once per epoch or once per
 * step. Step-wise schedules (step, exponential) change at whole epochs; cosine and warm-up are smooth.
 */
public interface LrSchedule {

    /**
     * The rate at a point of training.
     *
     * @param base  the base learning rate (the optimizer's rate as configured)
     * @param epoch training progress in epochs, 0 at the start, fractional within an epoch
     * @return the learning rate to use there
     */
    float lr(float base, double epoch);

    /**
     * Sets the optimizer's rate for a point of training: what a training loop calls.
     *
     * @param optimizer the optimizer whose rate to set
     * @param base      the base learning rate
     * @param epoch     training progress in epochs, 0 at the start, fractional within an epoch
     */
    default void apply(Optimizer optimizer, float base, double epoch) {
        optimizer.setLr(lr(base, epoch));
    }

    /** {@return a one-line description for logs and reports, e.g. {@code cosine(15.0 epochs, min 0.0)}} */
    String describe();

    /** {@return the schedule that always gives the base rate} */
    static LrSchedule constant() {
        return new LrSchedule() {
            @Override
            public float lr(float base, double epoch) {
                return base;
            }

            @Override
            public String describe() {
                return "constant";
            }
        };
    }

    /**
     * Parses a schedule as the CLI takes it: {@code constant}, {@code step:SIZE[,GAMMA]} (default gamma 0.1),
     * {@code exp:GAMMA}, {@code cosine:EPOCHS[,MIN_LR]}; any of them may be prefixed by
     * {@code warmup:EPOCHS+} (e.g. {@code warmup:1+cosine:15}).
     *
     * @param spec the schedule's description, case-insensitive
     * @return the schedule it describes
     * @throws IllegalArgumentException when {@code spec} names no schedule or has the wrong arguments; the
     *                                  message names the accepted forms
     */
    static LrSchedule parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int plus = s.indexOf('+');
        if (s.startsWith("warmup:") && plus > 0) {
            return new LinearWarmup(number(spec, s.substring(7, plus)), parse(s.substring(plus + 1)));
        }
        if (s.startsWith("warmup:")) return new LinearWarmup(number(spec, s.substring(7)), constant());
        if (s.equals("constant") || s.equals("none")) return constant();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String[] args = colon < 0 ? new String[0] : s.substring(colon + 1).split(",");
        return switch (name) {
            case "step" -> {
                need(spec, args, 1, 2);
                yield new StepLR((int) number(spec, args[0]), args.length > 1 ? (float) number(spec, args[1]) : 0.1f);
            }
            case "exp", "exponential" -> {
                need(spec, args, 1, 1);
                yield new ExponentialLR((float) number(spec, args[0]));
            }
            case "cosine" -> {
                need(spec, args, 1, 2);
                yield new CosineAnnealingLR(number(spec, args[0]), args.length > 1 ? (float) number(spec, args[1]) : 0f);
            }
            default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + spec
                    + "': expected constant, step:SIZE[,GAMMA], exp:GAMMA, cosine:EPOCHS[,MIN_LR], optionally prefixed by warmup:EPOCHS+");
        };
    }

    private static void need(String spec, String[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            throw new IllegalArgumentException("schedule '" + spec + "' takes " + (min == max ? min : min + " to " + max) + " argument(s)");
        }
    }

    private static double number(String spec, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + spec + "': '" + text.trim() + "' is not a number");
        }
    }
}

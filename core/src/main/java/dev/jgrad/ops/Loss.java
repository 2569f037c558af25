package dev.jgrad.ops;

import dev.jgrad.tensor.Tensor;

import java.util.Locale;

/**
 * A loss: the model's output and the target in, the mean loss over the batch out, as a scalar tensor whose
 * {@code backward()} fills the gradients ({@link dev.jgrad.train.Trainer} minimises one). The built-in ones
 * follow PyTorch's definitions (mean reduction) and are named, so a saved model or a report can say which one
 * trained it; every one is checked against finite differences on every backend. Your own loss is any
 * differentiable function of the two built from tensor ops, e.g. {@code (out, t) -> out.sub(t).square().sum()}.
 */
@FunctionalInterface
public interface Loss {
    /**
     * Computes the loss of a batch.
     *
     * @param output the model's output for a batch
     * @param target what it should have been: its shape is given by each built-in loss
     * @return a scalar tensor (shape []), recording the graph when gradients are on
     */
    Tensor apply(Tensor output, Tensor target);

    /**
     * The loss's name in reports and saved models; {@link #named(String)} turns a built-in's name back into it.
     *
     * @return {@code custom} unless it is one of the built-ins
     */
    default String name() {
        return "custom";
    }

    /**
     * Softmax cross-entropy of logits [rows, classes] (PyTorch's {@code cross_entropy}), computed from
     * log-sum-exp so no logit overflows. The target is either the class indices [rows] (held as floats), or
     * a distribution per row [rows, classes] (one-hot or soft labels summing to 1).
     *
     * @return the loss, named {@code cross_entropy}
     */
    static Loss crossEntropy() {
        return new Losses.Named("cross_entropy", (logits, target) -> target.rank() == 1
                ? Losses.crossEntropy(logits, target) : Losses.crossEntropyOneHot(logits, target));
    }

    /**
     * Binary cross-entropy of logits against 0/1 (or probability) targets of the same shape, one sigmoid
     * per element (PyTorch's {@code binary_cross_entropy_with_logits}): for multi-label outputs.
     *
     * @return the loss, named {@code bce_with_logits}
     */
    static Loss bceWithLogits() {
        return new Losses.Named("bce_with_logits", Losses::bceWithLogits);
    }

    /**
     * Mean squared error of outputs against targets of the same shape (PyTorch's {@code mse_loss}).
     *
     * @return the loss, named {@code mse}
     */
    static Loss mse() {
        return new Losses.Named("mse", Losses::mse);
    }

    /**
     * Mean absolute error of outputs against targets of the same shape (PyTorch's {@code l1_loss}).
     *
     * @return the loss, named {@code l1}
     */
    static Loss l1() {
        return new Losses.Named("l1", Losses::l1);
    }

    /**
     * The Huber loss (PyTorch's {@code huber_loss}): 0.5·d² where |d| ≤ delta, delta·(|d| − delta/2)
     * beyond, d the output minus the target (same shapes). Only the output gets a gradient.
     *
     * @param delta where the loss turns from quadratic to linear; a positive finite number
     * @return the loss, named {@code huber} for delta 1, else {@code huber:DELTA}
     * @throws IllegalArgumentException when {@code delta} is not positive and finite
     */
    static Loss huber(float delta) {
        if (!(delta > 0) || !Float.isFinite(delta)) throw new IllegalArgumentException("huber: delta must be a positive number, got " + delta);
        return new Losses.Named(delta == 1f ? "huber" : "huber:" + delta, (out, target) -> Losses.huber(out, target, delta));
    }

    /**
     * A built-in loss by its {@link #name()}: {@code cross_entropy}, {@code bce_with_logits} (or {@code bce}),
     * {@code mse}, {@code l1} (or {@code mae}), {@code huber} (delta 1) or {@code huber:DELTA}; case is ignored
     * and hyphens may stand for underscores. Also accepts {@code crossentropy} and {@code ce}.
     *
     * @param name the loss's name, as {@link #name()} gives it; surrounding blanks are ignored; must not be null
     * @return the built-in loss of that name
     * @throws IllegalArgumentException when no built-in loss has that name or a Huber delta is malformed
     */
    static Loss named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        if (n.startsWith("huber:")) {
            try {
                return huber(Float.parseFloat(n.substring(6)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("loss '" + name + "': the Huber delta is not a number");
            }
        }
        return switch (n) {
            case "cross_entropy", "crossentropy", "ce" -> crossEntropy();
            case "bce_with_logits", "bce" -> bceWithLogits();
            case "mse" -> mse();
            case "l1", "mae" -> l1();
            case "huber" -> huber(1f);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "': expected cross_entropy, bce_with_logits, mse, l1,"
                    + " huber or huber:DELTA");
        };
    }
}

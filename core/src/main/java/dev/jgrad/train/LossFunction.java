package dev.jgrad.train;

import dev.jgrad.ops.ComposedLosses;
import dev.jgrad.ops.HuberLoss;
import dev.jgrad.ops.Losses;
import dev.jgrad.tensor.Tensor;

import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * What {@link Trainer} minimises: a scalar tensor from the model's output and the batch's target (class
 * indices [rows] for classification, values [rows, width] otherwise, the input itself for an autoencoder).
 * Any differentiable function of the two is a loss; the built-ins are named so that a saved model and a report
 * can say which one trained it.
 */
@FunctionalInterface
public interface LossFunction {
    /**
     * The loss of a batch.
     *
     * @param output the model's output for the batch
     * @param target the batch's target: class indices [rows] for classification, values [rows, width] otherwise,
     *               the input itself for an autoencoder
     * @return a scalar tensor that {@link Tensor#backward()} can start from, the mean over the batch for the built-ins
     */
    Tensor apply(Tensor output, Tensor target);

    /** {@return the loss's name in reports and saved models: {@code custom} unless it is one of the built-ins} */
    default String name() {
        return "custom";
    }

    /** {@return softmax cross-entropy of logits [rows, classes] against class indices [rows] ({@link Losses#crossEntropy})} */
    static LossFunction crossEntropy() {
        return new Named("cross_entropy", Losses::crossEntropy);
    }

    /** {@return binary cross-entropy on logits, for 0/1 targets of the same shape (multi-label; {@link Losses#bceWithLogits})} */
    static LossFunction bceWithLogits() {
        return new Named("bce_with_logits", Losses::bceWithLogits);
    }

    /** {@return the mean squared error ({@link Losses#mse})} */
    static LossFunction mse() {
        return new Named("mse", Losses::mse);
    }

    /** {@return the mean absolute error ({@link ComposedLosses#l1})} */
    static LossFunction l1() {
        return new Named("l1", ComposedLosses::l1);
    }

    /**
     * The Huber loss ({@link HuberLoss#huber}): quadratic for errors up to {@code delta}, linear beyond.
     *
     * @param delta the threshold between the two parts, positive and finite (PyTorch's default is 1)
     * @return the loss, named {@code huber} for delta 1, else {@code huber:DELTA}
     * @throws IllegalArgumentException when {@code delta} is not positive and finite
     */
    static LossFunction huber(float delta) {
        if (!(delta > 0) || !Float.isFinite(delta)) throw new IllegalArgumentException("huber: delta must be a positive number, got " + delta);
        return new Named(delta == 1f ? "huber" : "huber:" + delta, (o, t) -> HuberLoss.huber(o, t, delta));
    }

    /**
     * A built-in loss by name: {@code cross_entropy}, {@code bce_with_logits} (or {@code bce}), {@code mse},
     * {@code l1} (or {@code mae}), {@code huber} (delta 1) or {@code huber:DELTA}; hyphens may stand for
     * underscores.
     *
     * @param name the loss's name, case-insensitive
     * @return the loss
     * @throws IllegalArgumentException when the name is none of these; the message lists them
     */
    static LossFunction named(String name) {
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

    /**
     * A built-in loss and its name.
     *
     * @param name     the name reports and saved models use
     * @param function computes the loss from (output, target)
     */
    record Named(String name, BinaryOperator<Tensor> function) implements LossFunction {
        @Override
        public Tensor apply(Tensor output, Tensor target) {
            return function.apply(output, target);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

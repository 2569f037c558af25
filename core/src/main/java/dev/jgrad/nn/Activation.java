package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.ops.Elementwise;
import dev.jgrad.tensor.Tensor;

import java.util.Locale;

/** An elementwise activation layer. Placed after a {@link Linear} in a {@link Sequential}, it is fused into it. */
public class Activation extends Module {
    private final UnaryOp op;
    private final float param;

    /**
     * An activation with an explicit parameter.
     *
     * @param op    the activation; one whose {@link UnaryOp#isActivation()} is true
     * @param param its parameter: LeakyReLU's negative slope, ELU's alpha; ignored by the others
     * @throws IllegalArgumentException when {@code op} is not an activation
     */
    public Activation(UnaryOp op, float param) {
        if (!op.isActivation()) throw new IllegalArgumentException(op + " is not an activation");
        this.op = op;
        this.param = param;
    }

    /**
     * An activation with PyTorch's default parameter (LeakyReLU 0.01, ELU 1).
     *
     * @param op the activation; one whose {@link UnaryOp#isActivation()} is true
     * @throws IllegalArgumentException when {@code op} is not an activation
     */
    public Activation(UnaryOp op) {
        this(op, switch (op) {
            case LEAKY_RELU -> 0.01f;
            case ELU -> 1f;
            default -> 0f;
        });
    }

    /**
     * The activation layer of {@link Layers} named {@code name}, with its default argument.
     *
     * @param name relu, leaky_relu, elu, gelu, sigmoid or tanh; case-insensitive, {@code -} for {@code _}
     * @return the activation layer
     * @throws IllegalArgumentException when the name is none of these
     */
    public static Activation named(String name) {
        Activation a = name == null ? null : Layers.activation(name.replace('-', '_'));
        if (a == null) {
            throw new IllegalArgumentException("unknown activation '" + name + "': expected "
                    + Layers.join(Layers.activations().stream().map(LayerType::name).toList()));
        }
        return a;
    }

    /** {@return the elementwise op this layer applies} */
    public UnaryOp op() {
        return op;
    }

    /** {@return the op's parameter (LeakyReLU's slope, ELU's alpha; 0 for the others)} */
    public float param() {
        return param;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Elementwise.unary(op, param, x);
    }

    @Override
    public String describe() {
        return op.name().toLowerCase(Locale.ROOT);
    }
}

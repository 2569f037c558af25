package dev.jgrad.kernels;

import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.UnaryOp;

/** The integer codes the kernels use for ops: the OP_* and BIN_* defines of common.h and elementwise.cl. */
public final class KernelCodes {
    private KernelCodes() {}

    public static int unary(UnaryOp op) {
        return switch (op) {
            case IDENTITY -> 0;
            case RELU -> 1;
            case LEAKY_RELU -> 2;
            case ELU -> 3;
            case GELU -> 4;
            case SIGMOID -> 5;
            case TANH -> 6;
            case EXP -> 7;
            case LOG -> 8;
            case NEG -> 9;
            case SQUARE -> 10;
            case SQRT -> 11;
            case ABS -> 12;
        };
    }

    public static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
        };
    }
}

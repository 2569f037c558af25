package dev.jgrad.spi;

/** Elementwise z = a op b, with broadcasting described by {@link Broadcast}. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV
}

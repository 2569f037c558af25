package dev.jgrad.spi;

/**
 * How an operand of an elementwise op of {@code n} outputs is indexed: output i reads element
 * {@code (i / div) % mod}. A full operand is {@code (1, n)}; a row vector added to every row of a
 * [rows, cols] matrix is {@code (1, cols)}; a column vector is {@code (cols, rows)}; a scalar is
 * {@code (1, 1)}. Any operand whose non-broadcast axes are consecutive reduces to this form, which
 * covers every broadcast the layers and losses use.
 */
public record Broadcast(int div, int mod) {
    public Broadcast {
        if (div < 1 || mod < 1) throw new IllegalArgumentException("broadcast div and mod must be >= 1");
    }

    public static Broadcast full(int n) {
        return new Broadcast(1, n);
    }

    public int index(int i) {
        return (i / div) % mod;
    }
}

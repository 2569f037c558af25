package dev.jgrad.bench;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The groups of measurements {@code jgrad bench} can run, each with the unit of its figures. */
public enum Suite {
    GEMM("GFLOP/s"),
    ELEMENTWISE("GB/s"),
    TRANSFER("GB/s"),
    TRAIN("samples/s");

    private final String unit;

    Suite(String unit) {
        this.unit = unit;
    }

    /** The name users type and reports show: {@code gemm}, {@code elementwise}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String unit() {
        return unit;
    }

    /** Parses a comma-separated list such as {@code gemm,train}; {@code all} means every suite. */
    public static Set<Suite> parseList(String list) {
        String s = list.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all")) return EnumSet.allOf(Suite.class);
        EnumSet<Suite> out = EnumSet.noneOf(Suite.class);
        for (String tok : s.split(",", -1)) {
            String name = tok.trim();
            Suite found = null;
            for (Suite suite : values()) if (suite.id().equals(name)) found = suite;
            if (found == null) {
                throw new IllegalArgumentException("unknown suite '" + tok.trim() + "': expected all or a list of gemm, elementwise, transfer, train");
            }
            out.add(found);
        }
        return out;
    }
}

package dev.jgrad.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Seeded mutations of valid files: the hostile inputs of the fuzz tests. */
final class Mutator {
    private static final long[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 255, 256, 65535, 65536, Integer.MAX_VALUE, 0x80000000L,
            0xFFFFFFFFL, 1L << 32, Long.MAX_VALUE, -1, Integer.MIN_VALUE, 100_000_000L, 1L << 40};
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    private final SplittableRandom rng;
    private final List<byte[]> seeds;

    Mutator(long seed, List<byte[]> seeds) {
        this.rng = new SplittableRandom(seed);
        this.seeds = seeds;
    }

    /** A mutated copy of a random seed input, and how it was made. */
    record Mutant(String how, byte[] bytes) {}

    Mutant next() {
        int s = rng.nextInt(seeds.size());
        byte[] in = seeds.get(s);
        int kind = rng.nextInt(8);
        return switch (kind) {
            case 0 -> new Mutant("seed " + s + " bit flips", flipBits(in));
            case 1 -> new Mutant("seed " + s + " truncated", truncate(in));
            case 2 -> new Mutant("seed " + s + " extended", extend(in));
            case 3 -> new Mutant("seed " + s + " spliced", splice(in, seeds.get(rng.nextInt(seeds.size()))));
            case 4 -> new Mutant("seed " + s + " interesting bytes", interestingBytes(in));
            case 5 -> new Mutant("seed " + s + " chunk copied", copyChunk(in));
            case 6 -> new Mutant("seed " + s + " chunk deleted", deleteChunk(in));
            default -> new Mutant("seed " + s + " number replaced", replaceTextNumber(in));
        };
    }

    long interesting() {
        long v = INTERESTING[rng.nextInt(INTERESTING.length)];
        return rng.nextBoolean() ? v : v + rng.nextInt(-2, 3);
    }

    byte[] flipBits(byte[] in) {
        byte[] out = in.clone();
        if (out.length == 0) return out;
        int flips = 1 + rng.nextInt(8);
        for (int i = 0; i < flips; i++) out[rng.nextInt(out.length)] ^= (byte) (1 << rng.nextInt(8));
        return out;
    }

    byte[] truncate(byte[] in) {
        return Arrays.copyOf(in, in.length == 0 ? 0 : rng.nextInt(in.length));
    }

    byte[] extend(byte[] in) {
        byte[] out = Arrays.copyOf(in, in.length + 1 + rng.nextInt(64));
        for (int i = in.length; i < out.length; i++) out[i] = (byte) rng.nextInt(256);
        return out;
    }

    byte[] splice(byte[] a, byte[] b) {
        int cutA = rng.nextInt(a.length + 1);
        int cutB = rng.nextInt(b.length + 1);
        byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    byte[] interestingBytes(byte[] in) {
        byte[] out = in.clone();
        if (out.length < 4) return out;
        int at = rng.nextInt(out.length - 3);
        ByteBuffer b = ByteBuffer.wrap(out).order(rng.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long v = interesting();
        if (rng.nextBoolean() && at + 8 <= out.length) b.putLong(at, v);
        else b.putInt(at, (int) v);
        return out;
    }

    byte[] copyChunk(byte[] in) {
        if (in.length == 0) return in;
        int from = rng.nextInt(in.length);
        int len = 1 + rng.nextInt(Math.min(32, in.length - from));
        int to = rng.nextInt(in.length + 1);
        byte[] out = new byte[in.length + len];
        System.arraycopy(in, 0, out, 0, to);
        System.arraycopy(in, from, out, to, len);
        System.arraycopy(in, to, out, to + len, in.length - to);
        return out;
    }

    byte[] deleteChunk(byte[] in) {
        if (in.length == 0) return in;
        int from = rng.nextInt(in.length);
        int len = 1 + rng.nextInt(Math.min(32, in.length - from));
        byte[] out = new byte[in.length - len];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(in, from + len, out, from, in.length - from - len);
        return out;
    }

    /** Replaces one decimal number in the text parts of the input (headers, JSON, CSV) by an interesting one. */
    byte[] replaceTextNumber(byte[] in) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        Matcher m = NUMBER.matcher(text);
        int count = 0;
        while (m.find()) count++;
        if (count == 0) return flipBits(in);
        int pick = rng.nextInt(count);
        m.reset();
        for (int i = 0; i <= pick; i++) m.find();
        String replacement = rng.nextInt(4) == 0 ? "99999999999999999999999" : Long.toString(interesting());
        return (text.substring(0, m.start()) + replacement + text.substring(m.end())).getBytes(StandardCharsets.ISO_8859_1);
    }
}

package dev.jgrad.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of mutated safetensors files, each of which must load or end in a one-line
 * DataFormatException: never another exception, a hang, or an allocation the file's size does not justify.
 * Half the mutants keep the header's length prefix consistent, so that the mutations reach the checks
 * behind the JSON parser (offsets, shapes, dtypes, overlaps).
 */
class SafetensorsFuzzTest {
    private static final int INPUTS = 20_000;
    private static final String[] DTYPES = {"F32", "F16", "BF16", "F64", "I32", "U8", "BOOL", "f32", ""};

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Safetensors.encode(SafetensorsTest.sample(), Map.of("jgrad.model", "mlp:4", "k", "v")));
        seeds.add(Safetensors.encode(Map.of(), Map.of()));
        Map<String, HostArray> one = new LinkedHashMap<>();
        one.put("w", new HostArray(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        seeds.add(Safetensors.encode(one, Map.of()));
        String mixed = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[8,16]},\"__metadata__\":{\"a\":\"b\"}}";
        seeds.add(SafetensorsTest.file(mixed, new byte[16]));
        return seeds;
    }

    @Test
    @Timeout(120)
    void everyMutantLoadsOrIsRejectedCleanly() throws Exception {
        List<byte[]> seeds = seeds();
        for (byte[] s : seeds) Safetensors.decode(s, "seed");
        Mutator mutator = new Mutator(20261122L, seeds);
        SplittableRandom rng = new SplittableRandom(8);
        // F16 and BF16 give two floats per two bytes, on top of the bytes themselves and the header's parse
        FuzzOutcomes outcomes = new FuzzOutcomes("safetensors", 48, 1);
        for (int i = 0; i < INPUTS; i++) {
            Mutator.Mutant m = rng.nextBoolean() ? mutator.next() : headerMutant(rng, mutator, seeds);
            String how = "input " + i + " (" + m.how() + ")";
            outcomes.run(how, m.bytes(), bytes -> {
                SafetensorsFile f = Safetensors.decode(bytes, "fuzz.safetensors");
                long floats = 0;
                for (HostArray a : f.tensors().values()) floats += a.values().length;
                return floats;
            });
        }
        System.out.print(outcomes.summary());
        assertEquals(INPUTS, outcomes.inputs());
        assertTrue(outcomes.loaded() > 100, "some mutants should still be valid files: " + outcomes.loaded());
        assertTrue(outcomes.rejectedCount() > INPUTS / 2, "most mutants should be rejected");
    }

    /** Mutates the JSON header as text and writes the matching length prefix. */
    private static Mutator.Mutant headerMutant(SplittableRandom rng, Mutator mutator, List<byte[]> seeds) {
        int s = rng.nextInt(seeds.size());
        byte[] in = seeds.get(s);
        int n = (int) ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(in, 8, n, StandardCharsets.UTF_8);
        byte[] data = java.util.Arrays.copyOfRange(in, 8 + n, in.length);
        String how;
        switch (rng.nextInt(7)) {
            case 0, 1 -> {
                header = new String(mutator.replaceTextNumber(header.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
                how = "header number replaced";
            }
            case 2 -> {
                header = header.replaceFirst("\"(F32|F16|BF16|F64)\"", "\"" + DTYPES[rng.nextInt(DTYPES.length)] + "\"");
                how = "dtype replaced";
            }
            case 3 -> {
                String[] fields = {"\"dtype\":\"[A-Z0-9]*\",?", "\"shape\":\\[[0-9,]*\\],?", "\"data_offsets\":\\[[0-9,]*\\],?"};
                header = header.replaceFirst(fields[rng.nextInt(fields.length)], "");
                how = "field removed";
            }
            case 4 -> {
                header = header.replaceFirst("\\[([0-9]+),([0-9]+)\\]", "[$2,$1]");
                how = "offsets swapped";
            }
            case 5 -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data_offsets\":\\[[0-9]+,[0-9]+\\]").matcher(header);
                List<String> ranges = new ArrayList<>();
                while (m.find()) ranges.add(m.group());
                if (ranges.size() >= 2) header = header.replace(ranges.get(rng.nextInt(ranges.size())), ranges.get(rng.nextInt(ranges.size())));
                how = "one tensor's range given to another";
            }
            default -> {
                header = header.replaceFirst("\"shape\":\\[", "\"shape\":[" + (1 + rng.nextInt(3)) + ",");
                how = "dimension added";
            }
        }
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).put(data).array();
        return new Mutator.Mutant("seed " + s + " " + how, out);
    }
}

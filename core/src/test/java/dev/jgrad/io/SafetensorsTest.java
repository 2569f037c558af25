package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    static Map<String, HostArray> sample() {
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("0.weight", new HostArray(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}));
        t.put("0.bias", new HostArray(new int[] {2}, new float[] {0.25f, -7}));
        t.put("scalar", new HostArray(new int[] {}, new float[] {42}));
        t.put("empty", new HostArray(new int[] {0, 5}, new float[0]));
        return t;
    }

    /** A file from a raw header and raw data, for hand-made and hostile inputs. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    @Test
    void roundTripsValuesShapesOrderAndMetadata() throws IOException {
        Path f = dir.resolve("sub/model.safetensors");
        Map<String, String> meta = Map.of("jgrad.model", "mlp:4 \"quoted\" \u00e9");
        Safetensors.write(f, sample(), meta);
        SafetensorsFile back = Safetensors.read(f);
        assertEquals(sample(), back.tensors());
        assertEquals(List.copyOf(sample().keySet()), List.copyOf(back.tensors().keySet()));
        assertEquals(meta, back.metadata());
        assertArrayEquals(Files.readAllBytes(f), Safetensors.encode(sample(), meta));
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void headerIsPaddedToEightBytesAndDataIsLittleEndianF32() throws IOException {
        byte[] bytes = Safetensors.encode(Map.of("w", new HostArray(new int[] {1}, new float[] {1f})), Map.of());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        // dd54c4ab: CRC32C of 00 00 80 3f (1.0f), computed independently with the bitwise Castagnoli polynomial
        assertEquals("{\"__metadata__\":{\"jgrad.crc32c.w\":\"dd54c4ab\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.strip());
        assertEquals(1f, b.position(8 + (int) n).getFloat());
    }

    @Test
    void convertsHalfBfloatAndDoubleToFloat() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(2 * 2 + 2 * 2 + 2 * 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f));
        data.putShort((short) (Float.floatToIntBits(3f) >>> 16)).putShort((short) (Float.floatToIntBits(-96f) >>> 16));
        data.putDouble(0.1).putDouble(-1e300);
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}";
        SafetensorsFile f = Safetensors.decode(file(header, data.array()), "mixed");
        assertArrayEquals(new float[] {1.5f, -0.25f}, f.tensors().get("h").values());
        assertArrayEquals(new float[] {3f, -96f}, f.tensors().get("b").values());
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, f.tensors().get("d").values());
    }

    @Test
    void readsIntegerTensorsAsFloats() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(1234).putInt(-5).putInt(7);
        String header = "{\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        SafetensorsFile f = Safetensors.decode(file(header, data.array()), "ints");
        assertArrayEquals(new float[] {1234}, f.tensors().get("1.num_batches_tracked").values());
        assertArrayEquals(new float[] {-5, 7}, f.tensors().get("i").values());
    }

    @Test
    void tensorsMayBeStoredInAnyOrder() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3);
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        SafetensorsFile f = Safetensors.decode(file(header, data.array()), "x");
        assertEquals(List.of("a", "b"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new float[] {3}, f.tensors().get("a").values());
        assertArrayEquals(new float[] {1, 2}, f.tensors().get("b").values());
    }

    private static String rejects(String header, int dataBytes) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Safetensors.decode(file(header, new byte[dataBytes]), "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void rejectsHostileHeadersWithOneLineMessages() {
        assertTrue(rejects("[]", 0).contains("not a JSON object"));
        assertTrue(rejects("{\"a\":", 0).contains("not valid JSON"));
        assertTrue(rejects("{} {}", 0).contains("after the header"));
        assertTrue(rejects("{" + entry("a", "U8", "[1]", 0, 1) + "}", 1).contains("dtype U8"));
        assertTrue(rejects("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4).contains("lacks data_offsets"));
        assertTrue(rejects("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4).contains("unknown field"));
        assertTrue(rejects("{" + entry("a", "F32", "[-1]", 0, 4) + "}", 4).contains("non-negative"));
        assertTrue(rejects("{" + entry("a", "F32", "[1.5]", 0, 4) + "}", 4).contains("non-negative"));
        assertTrue(rejects("{" + entry("a", "F32", "[99999999999999999999999]", 0, 4) + "}", 4).contains("non-negative"));
        assertTrue(rejects("{" + entry("a", "F32", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 4).contains("overflows"));
        assertTrue(rejects("{" + entry("a", "F32", "[1]", 0, 400) + "}", 4).contains("beyond"));
        assertTrue(rejects("{" + entry("a", "F32", "[1]", 4, 0) + "}", 4).contains("end before begin"));
        assertTrue(rejects("{" + entry("a", "F32", "[2]", 0, 4) + "}", 4).contains("needs 8 bytes"));
        assertTrue(rejects("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", 8).contains("overlaps"));
        assertTrue(rejects("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8).contains("unused bytes"));
        assertTrue(rejects("{" + entry("a", "F32", "[1]", 0, 4) + "}", 9).contains("5 bytes after"));
        assertTrue(rejects("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}", 8).contains("a"));
        assertTrue(rejects("{\"__metadata__\":{\"k\":1}}", 0).contains("not a string"));
        assertTrue(rejects("{\"a\":[[[[[[[[[[[[]]]]]]]]]]]]}", 0).contains("not a JSON object"));
        assertTrue(rejects("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{}}}}}}}}}}", 0).length() > 0);
    }

    @Test
    void rejectsBadHeaderLengthsAndEncodings() {
        assertThrows(DataFormatException.class, () -> Safetensors.decode(new byte[5], "short"));
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array();
        assertTrue(assertThrows(DataFormatException.class, () -> Safetensors.decode(huge, "h")).getMessage().contains("over the limit"));
        byte[] negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
        assertTrue(assertThrows(DataFormatException.class, () -> Safetensors.decode(negative, "h")).getMessage().contains("18446744073709551615"));
        byte[] past = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(9).array();
        assertTrue(assertThrows(DataFormatException.class, () -> Safetensors.decode(past, "h")).getMessage().contains("only 8 follow"));
        byte[] latin1 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(4).put(new byte[] {'{', (byte) 0xe9, '}', ' '}).array();
        assertTrue(assertThrows(DataFormatException.class, () -> Safetensors.decode(latin1, "h")).getMessage().contains("UTF-8"));
    }

    @Test
    void readingAMissingFileSaysSo() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Safetensors.read(dir.resolve("nope.safetensors")));
    }
}

package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checksums in what jgrad writes, and the finite-value check on everything it loads as weights. */
class IntegrityTest {
    @TempDir
    Path dir;

    @Test
    void everyBitFlippedInTensorDataIsCaughtAndTheTensorNamed() throws Exception {
        Map<String, HostArray> t = SafetensorsTest.sample();
        byte[] good = Safetensors.encode(t, Map.of("k", "v"));
        long header = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int dataStart = 8 + (int) header;
        for (int at = dataStart; at < good.length; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[at] ^= (byte) (1 << bit);
                DataFormatException e = assertThrows(DataFormatException.class, () -> Safetensors.decode(bad, "m.safetensors"),
                        "flip at byte " + at + " bit " + bit + " was not caught");
                String expected = (at - dataStart) < 24 ? "0.weight" : (at - dataStart) < 32 ? "0.bias" : "scalar";
                assertTrue(e.getMessage().startsWith("m.safetensors: tensor \"" + expected + "\" fails its CRC32C checksum"), e.getMessage());
            }
        }
        SafetensorsFile f = Safetensors.decode(good, "m.safetensors");
        assertEquals(Map.of("k", "v"), f.metadata(), "checksums are not part of the metadata a read returns");
    }

    @Test
    void aFileWithoutChecksumsFromAnotherToolStillLoads() throws Exception {
        // what another writer (Python's safetensors) produces: no __metadata__ at all
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes()).putFloat(1.5f).putFloat(-2f);
        SafetensorsFile f = Safetensors.decode(b.array(), "torch.safetensors");
        assertEquals(-2f, f.tensors().get("w").values()[1]);
    }

    @Test
    void aChecksumRemovedForOneTensorIsAnEditedHeader() {
        Map<String, HostArray> t = SafetensorsTest.sample();
        String full = new String(Safetensors.encode(t, Map.of()), java.nio.charset.StandardCharsets.ISO_8859_1);
        String edited = full.replaceFirst("\"jgrad.crc32c.0.bias\":\"[0-9a-f]{8}\",", "");
        // keep the header length field right: pad the header back with spaces
        int removed = full.length() - edited.length();
        long n = ByteBuffer.wrap(full.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String headerPart = edited.substring(8, 8 + (int) n - removed) + " ".repeat(removed);
        String rebuilt = full.substring(0, 8) + headerPart + edited.substring(8 + (int) n - removed);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Safetensors.decode(rebuilt.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "x"));
        assertTrue(e.getMessage().contains("\"0.bias\" has no checksum"), e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedOnLoadNamingTheTensor() throws Exception {
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("0.weight", new HostArray(new int[] {2}, new float[] {1, Float.NaN}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> StateDicts.requireFinite(t, "nan.safetensors"));
        assertEquals("nan.safetensors: tensor \"0.weight\" holds NaN at index 1: weights that are not finite come from a diverged run"
                + " or a damaged file and are not loaded", e.getMessage());
    }

    @Test
    void aReadOfAFolderOrFifoSaysWhatItIs() throws Exception {
        DataFormatException folder = assertThrows(DataFormatException.class, () -> Safetensors.read(dir));
        assertTrue(folder.getMessage().endsWith("is a folder, not a regular file"), folder.getMessage());
        Path fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        DataFormatException e = assertThrows(DataFormatException.class, () -> Safetensors.read(fifo));
        assertTrue(e.getMessage().contains("is a FIFO"), e.getMessage());
        assertFalse(Files.isRegularFile(fifo));
    }
}

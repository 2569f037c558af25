package dev.jgrad.io;

import dev.jgrad.data.CsvReader;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.IdxReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IDX and CSV readers fed thousands of mutated files (plain and gzipped) through their public API:
 * each must load or end in a one-line DataFormatException, never another exception, a hang, or an
 * allocation the input does not justify (gzip input may justify its decompressed size).
 */
class DataReadersFuzzTest {
    /** Inputs per in-memory run; runs through files (slower: a write per input) take {@link #FILE_INPUTS}. */
    private static final int INPUTS = 6_000;
    private static final int FILE_INPUTS = 2_500;

    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 37);
        return b;
    }

    @Test
    @Timeout(120)
    void idxMutantsLoadOrAreRejectedCleanly() throws Exception {
        byte[] images = idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, ramp(60));
        byte[] labels = idx(IdxReader.LABELS_MAGIC, new int[] {7}, new byte[] {0, 1, 2, 3, 4, 5, 6});
        byte[] empty = idx(IdxReader.IMAGES_MAGIC, new int[] {0, 28, 28}, new byte[0]);
        List<byte[]> plain = List.of(images, labels, empty);
        List<byte[]> gz = List.of(gzip(images), gzip(labels), gzip(empty));
        Path file = dir.resolve("fuzz-idx3-ubyte");
        FuzzOutcomes.Reader read = bytes -> {
            Files.write(file, bytes);
            // the magic decides which reader is asked; both are asked of inputs whose magic was mutated away
            long values = 0;
            try {
                values += IdxReader.readImages(file).pixels().length;
            } catch (dev.jgrad.data.DataFormatException e) {
                values += IdxReader.readLabels(file).length;
            }
            return values;
        };
        FuzzOutcomes plainOutcomes = new FuzzOutcomes("idx", 32, 1);
        run(plainOutcomes, new Mutator(17, plain), read, FILE_INPUTS);
        // deflate expands at most ~1032 times
        FuzzOutcomes gzOutcomes = new FuzzOutcomes("idx.gz", 8 * 1032, 1032);
        run(gzOutcomes, new Mutator(18, gz), read, FILE_INPUTS);
        System.out.print(plainOutcomes.summary());
        System.out.print(gzOutcomes.summary());
        assertTrue(plainOutcomes.loaded() > 0 && plainOutcomes.rejectedCount() > FILE_INPUTS / 2);
        assertTrue(gzOutcomes.rejectedCount() > FILE_INPUTS / 2);
    }

    @Test
    @Timeout(120)
    void csvMutantsLoadOrAreRejectedCleanly() throws Exception {
        String csv = "f1,f2,f3,label\n0.5,1,-2e-3,0\n3,4.25,5,1\n\n6,7,8,2\n";
        String headerless = "1,2,0\n3,4,1\n5,6,1\n";
        List<byte[]> plain = List.of(csv.getBytes(StandardCharsets.UTF_8), headerless.getBytes(StandardCharsets.UTF_8));
        FuzzOutcomes.Reader read = bytes -> {
            Dataset d = CsvReader.read(new ByteArrayInputStream(bytes), "fuzz.csv");
            return d.features().length + d.labels().length;
        };
        FuzzOutcomes plainOutcomes = new FuzzOutcomes("csv", 64, 1);
        run(plainOutcomes, new Mutator(19, plain), read, INPUTS);
        FuzzOutcomes gzOutcomes = new FuzzOutcomes("csv.gz", 8 * 1032, 1032);
        run(gzOutcomes, new Mutator(20, plain.stream().map(DataReadersFuzzTest::gzip).toList()), read, INPUTS);
        // and through the file API, which opens and sniffs the file itself
        Path file = dir.resolve("fuzz.csv");
        FuzzOutcomes fileOutcomes = new FuzzOutcomes("csv file", 64, 1032);
        run(fileOutcomes, new Mutator(21, plain), bytes -> {
            Files.write(file, bytes);
            Dataset d = CsvReader.read(file);
            return d.features().length + d.labels().length;
        }, FILE_INPUTS / 2);
        System.out.print(plainOutcomes.summary());
        System.out.print(gzOutcomes.summary());
        System.out.print(fileOutcomes.summary());
        assertTrue(plainOutcomes.loaded() > 0 && plainOutcomes.rejectedCount() > 0);
        assertEquals(INPUTS, plainOutcomes.inputs());
    }

    private static void run(FuzzOutcomes outcomes, Mutator mutator, FuzzOutcomes.Reader reader, int inputs) {
        for (int i = 0; i < inputs; i++) {
            Mutator.Mutant m = mutator.next();
            outcomes.run("input " + i + " (" + m.how() + ")", m.bytes(), reader);
        }
    }
}

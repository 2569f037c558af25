package dev.jgrad.data;

import static dev.jgrad.data.DataFiles.assertDataError;
import static dev.jgrad.data.DataFiles.gzip;
import static dev.jgrad.data.DataFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsFeaturesThenLabelAndScalesByTheLargestValue() throws IOException {
        Path file = write(dir.resolve("grey.csv"), "0,8,16,2\n4, 12 ,0,0\r\n\n16,16,16,1\n");
        Dataset d = CsvReader.read(file);
        assertEquals("grey.csv", d.name());
        assertEquals(3, d.size());
        assertEquals(3, d.featureCount());
        assertEquals(3, d.classes(), "largest label 2 + 1");
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.25f, 0.75f, 0f, 1f, 1f, 1f}, d.features());
    }

    @Test
    void keepsValuesWhenNoneExceedsOne() throws IOException {
        Path file = write(dir.resolve("unit.csv"), "0.5,-0.25,1\n1e-1,1,0\n");
        Dataset d = CsvReader.read(file);
        assertArrayEquals(new float[] {0.5f, -0.25f, 0.1f, 1f}, d.features());
        assertEquals(2, d.classes());
    }

    @Test
    void readsGzipByMagicBytesAndSkipsAnAllTextHeader() throws IOException {
        byte[] text = "a,b,label\n1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8);
        Path file = write(dir.resolve("plain-name.csv"), gzip(text));
        Dataset d = CsvReader.read(file);
        assertEquals(2, d.size());
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 1f}, d.features());
        assertArrayEquals(new int[] {0, 1}, d.labels());
    }

    // ---- bad input: each a DataFormatException with one line naming the file and the problem ----

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.csv");
        assertDataError(() -> CsvReader.read(file), "absent.csv", "not found");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = write(dir.resolve("empty.csv"), "");
        assertDataError(() -> CsvReader.read(file), "empty.csv", "empty");
        Path blank = write(dir.resolve("blank.csv"), "\n  \n");
        assertDataError(() -> CsvReader.read(blank), "blank.csv", "empty");
    }

    @Test
    void headerWithoutRows() throws IOException {
        Path file = write(dir.resolve("header-only.csv"), "x,y,label\n");
        assertDataError(() -> CsvReader.read(file), "header-only.csv", "no data rows");
    }

    @Test
    void raggedRow() throws IOException {
        Path file = write(dir.resolve("ragged.csv"), "1,2,3,0\n4,5,6,1\n7,8,1\n");
        assertDataError(() -> CsvReader.read(file), "ragged.csv", "line 3", "3 columns", "have 4");
    }

    @Test
    void nonNumericValueWithLineNumber() throws IOException {
        Path file = write(dir.resolve("words.csv"), "1,2,0\n\n3,abc,1\n");
        assertDataError(() -> CsvReader.read(file), "words.csv", "line 3", "column 2", "'abc' is not a number");
    }

    @Test
    void nonNumericValueOnTheFirstLineIsNotMistakenForAHeader() throws IOException {
        Path file = write(dir.resolve("first.csv"), "1,x,0\n3,4,1\n");
        assertDataError(() -> CsvReader.read(file), "first.csv", "line 1", "'x' is not a number");
    }

    @Test
    void javaOnlyNumberSpellingsAreRejected() throws IOException {
        Path nan = write(dir.resolve("nan.csv"), "NaN,1,0\n");
        assertDataError(() -> CsvReader.read(nan), "nan.csv", "'NaN' is not a number");
        Path suffix = write(dir.resolve("suffix.csv"), "2,1f,0\n");
        assertDataError(() -> CsvReader.read(suffix), "suffix.csv", "'1f' is not a number");
        Path huge = write(dir.resolve("huge.csv"), "1e60,1,0\n");
        assertDataError(() -> CsvReader.read(huge), "huge.csv", "beyond the float range");
    }

    @Test
    void emptyValue() throws IOException {
        Path file = write(dir.resolve("hole.csv"), "1,,0\n");
        assertDataError(() -> CsvReader.read(file), "hole.csv", "line 1", "column 2", "empty value");
    }

    @Test
    void negativeLabel() throws IOException {
        Path file = write(dir.resolve("negative.csv"), "1,2,0\n3,4,-1\n");
        assertDataError(() -> CsvReader.read(file), "negative.csv", "line 2", "label -1", "out of range");
    }

    @Test
    void labelBeyondTheClassLimit() throws IOException {
        Path file = write(dir.resolve("big-label.csv"), "1,2,0\n3,4,65536\n");
        assertDataError(() -> CsvReader.read(file), "big-label.csv", "line 2", "label 65536", "0..65535");
    }

    @Test
    void nonIntegerLabel() throws IOException {
        Path fraction = write(dir.resolve("fraction.csv"), "1,2,1.5\n");
        assertDataError(() -> CsvReader.read(fraction), "fraction.csv", "label '1.5' is not an integer");
        Path word = write(dir.resolve("word-label.csv"), "1,2,0\n1,2,cat\n");
        assertDataError(() -> CsvReader.read(word), "word-label.csv", "line 2", "label 'cat' is not a number");
    }

    @Test
    void singleColumn() throws IOException {
        Path file = write(dir.resolve("one-column.csv"), "1\n2\n");
        assertDataError(() -> CsvReader.read(file), "one-column.csv", "line 1", "1 column");
    }

    @Test
    void truncatedGzip() throws IOException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        for (int row = 0; row < 200; row++) {
            text.append(random.nextInt(17)).append(',').append(random.nextInt(17)).append(',').append(row % 10).append('\n');
        }
        byte[] compressed = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        Path file = write(dir.resolve("cut.csv.gz"), Arrays.copyOf(compressed, compressed.length - 20));
        assertDataError(() -> CsvReader.read(file), "cut.csv.gz", "truncated");
    }

    @Test
    void binaryGarbageIsADataFormatException() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(11).nextBytes(garbage);
        Path file = write(dir.resolve("garbage.csv"), garbage);
        try {
            CsvReader.read(file);
            fail("random bytes read as CSV");
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().contains("garbage.csv") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}

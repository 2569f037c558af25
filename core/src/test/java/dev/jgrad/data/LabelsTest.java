package dev.jgrad.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelsTest {
    @TempDir
    Path dir;

    @Test
    void oneStrayLabelIsAGapNamingItsLineAndTheCount() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 30; i++) csv.append(i % 7).append(',').append(i).append(',').append(i % 3).append('\n');
        csv.append("1,2,65535\n");
        Path f = Files.writeString(dir.resolve("stray.csv"), csv);
        LabelGapException e = assertThrows(LabelGapException.class, () -> CsvReader.read(f, 0));
        assertEquals(f + ": line 32 has label 65535, but labels 3 to 65534 have no example (a stray label?); if there really are 65536"
                + " classes, declare that class count", e.getMessage());
        assertEquals(65536, e.suggestedClasses());
        assertEquals(65536, CsvReader.read(f, 65536).classes(), "declared, the gap is accepted");
        DataFormatException below = assertThrows(DataFormatException.class, () -> CsvReader.read(f, 3));
        assertTrue(below.getMessage().contains("line 32 has label 65535, outside the 3 classes declared"), below.getMessage());
        assertThrows(LabelGapException.class, () -> Datasets.load(f.toString()));
    }

    @Test
    void aByteOrderMarkIsStripped() throws Exception {
        Path f = dir.resolve("bom.csv");
        Files.write(f, "\uFEFFx,y,label\n0.5,1,1\n0.25,0,0\n".getBytes(StandardCharsets.UTF_8));
        Dataset d = CsvReader.read(f, 0);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        Path noHeader = dir.resolve("bom2.csv");
        Files.write(noHeader, "\uFEFF0.5,1,1\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0.5f, CsvReader.read(noHeader).features()[0]);
        assertEquals(3, CsvReader.read(noHeader, CsvFormat.featuresOnly()).featureCount());
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("fifo.csv");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(fifo));
        assertEquals(fifo + ": is a FIFO (named pipe), not a regular data file", e.getMessage());
    }
}

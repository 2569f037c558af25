package dev.jgrad.data;

import static dev.jgrad.data.DataFiles.assertDataError;
import static dev.jgrad.data.DataFiles.labels;
import static dev.jgrad.data.DataFiles.rampImages;
import static dev.jgrad.data.DataFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void embeddedDigitsAreThe1797ScaledImages() throws IOException {
        Dataset all = Datasets.digitsAll();
        assertEquals(1797, all.size());
        assertEquals(64, all.featureCount());
        assertEquals(10, all.classes());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : all.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max, "grey levels 0–16 divided by 16");
        int[] perClass = new int[10];
        for (int label : all.labels()) {
            perClass[label]++;
        }
        for (int count : perClass) {
            assertTrue(count >= 170 && count <= 190, () -> "class sizes " + Arrays.toString(perClass));
        }
        // The first row of the file, checked against its raw grey levels.
        assertEquals(0, all.labels()[0]);
        assertEquals(5 / 16f, all.features()[2]);
        assertEquals(13 / 16f, all.features()[3]);
    }

    @Test
    void digitsSplit80PercentDeterministically() throws IOException {
        Split split = Datasets.load("digits");
        assertEquals(1437, split.train().size());
        assertEquals(360, split.test().size());
        assertEquals(10, split.train().classes());
        assertEquals(10, split.test().classes());
        assertEquals(64, split.test().featureCount());

        Split again = Datasets.load(null);
        assertArrayEquals(split.train().features(), again.train().features());
        assertArrayEquals(split.test().labels(), again.test().labels());

        // The split is a permutation of the whole file: every row lands in exactly one part.
        Dataset all = Datasets.digitsAll();
        Map<String, Integer> rows = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            rows.merge(row(all, i), 1, Integer::sum);
        }
        for (Dataset part : new Dataset[] {split.train(), split.test()}) {
            for (int i = 0; i < part.size(); i++) {
                rows.merge(row(part, i), -1, Integer::sum);
            }
        }
        assertTrue(rows.values().stream().allMatch(n -> n == 0), "train + test is not the whole file");
        // And it is shuffled, not the file's first 80%.
        assertFalse(Arrays.equals(Arrays.copyOf(all.labels(), 1437), split.train().labels()));
    }

    @Test
    void aCsvPathIsReadAndSplit() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append(i).append(',').append(2 * i).append(',').append(i % 3).append('\n');
        }
        Path file = write(dir.resolve("ten.csv"), text.toString());
        Split split = Datasets.load(file.toString());
        assertEquals(8, split.train().size());
        assertEquals(2, split.test().size());
        assertEquals(3, split.test().classes());
        assertEquals("ten.csv train", split.train().name());
    }

    @Test
    void aFolderPathIsReadAsIdx() throws IOException {
        Path folder = dir.resolve("mini-mnist");
        write(folder.resolve(IdxReader.TRAIN_IMAGES), rampImages(3, 2, 2));
        write(folder.resolve(IdxReader.TRAIN_LABELS), labels((byte) 0, (byte) 1, (byte) 1));
        write(folder.resolve(IdxReader.TEST_IMAGES), rampImages(1, 2, 2));
        write(folder.resolve(IdxReader.TEST_LABELS), labels((byte) 1));
        Split split = Datasets.load(folder.toString());
        assertEquals(3, split.train().size());
        assertEquals(1, split.test().size());
        assertEquals("mini-mnist train", split.train().name());
    }

    @Test
    void featureCountComesFromTheHeadersAloneOrIsUnknown() throws IOException {
        Path folder = dir.resolve("header-only");
        // a header promising 5 images of 3x7 pixels, and none of their data: only the header is read
        write(folder.resolve(IdxReader.TRAIN_IMAGES + ".gz"), DataFiles.gzip(Arrays.copyOf(rampImages(5, 3, 7), 16)));
        assertEquals(21, Datasets.featureCount(folder.toString()).getAsInt());
        assertEquals(Datasets.digits().train().featureCount(), Datasets.featureCount("digits").getAsInt());
        assertEquals(Datasets.digits().train().featureCount(), Datasets.featureCount(null).getAsInt());
        write(dir.resolve("ten.csv"), "1,2,0\n3,4,1\n");
        assertTrue(Datasets.featureCount(dir.resolve("ten.csv").toString()).isEmpty(), "a CSV file's columns depend on its format");
        assertTrue(Datasets.featureCount(dir.resolve("absent").toString()).isEmpty());
        Path labelsOnly = dir.resolve("labels-as-images");
        write(labelsOnly.resolve(IdxReader.TRAIN_IMAGES), labels((byte) 1, (byte) 2));
        assertTrue(Datasets.featureCount(labelsOnly.toString()).isEmpty(), "a labels file where the images should be");
        if (Files.isDirectory(Datasets.FASHION_MNIST_DIR)) assertEquals(784, Datasets.featureCount("fashion-mnist").getAsInt());
    }

    @Test
    void fashionMnistWhenInstalled() throws IOException {
        assumeTrue(Files.isDirectory(Datasets.FASHION_MNIST_DIR),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        long start = System.nanoTime();
        Split split = Datasets.load("fashion-mnist");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(60000, split.train().size());
        assertEquals(10000, split.test().size());
        assertEquals(784, split.train().featureCount());
        assertEquals(10, split.train().classes());
        assertEquals(10, split.test().classes());
        assertEquals("fashion-mnist train", split.train().name());
        for (float v : split.test().features()) {
            if (!(v >= 0f && v <= 1f)) {
                throw new AssertionError("pixel " + v + " outside [0, 1]");
            }
        }
        System.out.printf("fashion-mnist loaded in %.2f s%n", seconds);
    }

    @Test
    void fashionMnistAbsentSaysWhatToInstall() {
        Path absent = dir.resolve("not-installed");
        assertDataError(() -> Datasets.fashionMnist(absent), "not-installed", "apt-get install dataset-fashion-mnist");
    }

    @Test
    void unknownSpecIsNamed() {
        assertDataError(() -> Datasets.load("mnist-please"), "'mnist-please'", "no such file or folder",
                "digits, fashion-mnist");
    }

    @Test
    void tooFewRowsToSplit() throws IOException {
        Path file = write(dir.resolve("one-row.csv"), "1,2,0\n");
        assertDataError(() -> Datasets.load(file.toString()), "one-row.csv", "too few");
    }

    @Test
    void splitRejectsAFractionOutsideZeroOne() throws IOException {
        Dataset all = Datasets.digitsAll();
        assertThrows(IllegalArgumentException.class, () -> Split.shuffled(all, 1.0, 1));
    }

    private static String row(Dataset d, int i) {
        int w = d.featureCount();
        return Arrays.toString(Arrays.copyOfRange(d.features(), i * w, (i + 1) * w)) + d.labels()[i];
    }
}

package dev.jgrad.data;

import static dev.jgrad.data.DataFiles.assertDataError;
import static dev.jgrad.data.DataFiles.gzip;
import static dev.jgrad.data.DataFiles.images;
import static dev.jgrad.data.DataFiles.labels;
import static dev.jgrad.data.DataFiles.rampImages;
import static dev.jgrad.data.DataFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzipped = {0}")
    @ValueSource(booleans = {false, true})
    void roundTripsImagesAndLabels(boolean gzipped) throws IOException {
        byte[] pixels = {0, 1, (byte) 128, (byte) 254, (byte) 255, 7, 0, 51, 102, (byte) 204, 3, 4};
        byte[] imageFile = images(2, 2, 3, pixels);
        byte[] labelFile = labels((byte) 3, (byte) 0);
        // A misleading name: detection must go by the magic bytes, not ".gz".
        Path imagesPath = write(dir.resolve("images.bin"), gzipped ? gzip(imageFile) : imageFile);
        Path labelsPath = write(dir.resolve("labels.gz"), gzipped ? gzip(labelFile) : labelFile);

        IdxReader.Images images = IdxReader.readImages(imagesPath);
        assertEquals(2, images.count());
        assertEquals(2, images.rows());
        assertEquals(3, images.columns());
        float[] expected = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            expected[i] = (pixels[i] & 0xFF) / 255f;
        }
        assertArrayEquals(expected, images.pixels());
        assertEquals(1f, images.pixels()[4]);
        assertEquals(0f, images.pixels()[0]);

        Dataset dataset = IdxReader.read(imagesPath, labelsPath, "tiny");
        assertEquals(2, dataset.size());
        assertEquals(6, dataset.featureCount());
        assertEquals(4, dataset.classes(), "largest label 3 + 1");
        assertArrayEquals(new int[] {3, 0}, dataset.labels());
        assertArrayEquals(expected, dataset.features());
    }

    @Test
    void readsLabelsAsUnsignedBytes() throws IOException {
        Path file = write(dir.resolve("labels"), labels((byte) 200, (byte) 9));
        assertArrayEquals(new int[] {200, 9}, IdxReader.readLabels(file));
    }

    @Test
    void readsAFolderOfPlainAndGzippedFiles() throws IOException {
        write(dir.resolve(IdxReader.TRAIN_IMAGES + ".gz"), gzip(rampImages(5, 2, 2)));
        write(dir.resolve(IdxReader.TRAIN_LABELS), labels((byte) 0, (byte) 1, (byte) 2, (byte) 1, (byte) 0));
        write(dir.resolve(IdxReader.TEST_IMAGES), rampImages(2, 2, 2));
        write(dir.resolve(IdxReader.TEST_LABELS + ".gz"), gzip(labels((byte) 2, (byte) 1)));

        Split split = IdxReader.readFolder(dir);
        assertEquals(5, split.train().size());
        assertEquals(2, split.test().size());
        assertEquals(4, split.train().featureCount());
        assertEquals(3, split.train().classes());
        assertEquals(3, split.test().classes(), "the test set takes the training classes");
        assertArrayEquals(new int[] {2, 1}, split.test().labels());
        assertEquals(5 / 255f, split.train().features()[5]);
    }

    // ---- bad input: each a DataFormatException with one line naming the file and the problem ----

    @Test
    void missingFile() {
        Path file = dir.resolve("no-such-images");
        assertDataError(() -> IdxReader.readImages(file), "no-such-images", "not found");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = write(dir.resolve("empty-idx"), new byte[0]);
        assertDataError(() -> IdxReader.readImages(file), "empty-idx", "empty");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path file = write(dir.resolve("bad-magic"), DataFiles.idx(0x00000804, new int[] {1, 1, 1}, new byte[1]));
        assertDataError(() -> IdxReader.readImages(file), "bad-magic", "magic number 0x00000804", "0x00000803");
    }

    @Test
    void labelsFileGivenAsImages() throws IOException {
        Path file = write(dir.resolve("swapped"), labels((byte) 1, (byte) 2, (byte) 3));
        assertDataError(() -> IdxReader.readImages(file), "swapped", "0x00000801", "labels file");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] whole = rampImages(1, 2, 2);
        Path file = write(dir.resolve("short-header"), Arrays.copyOf(whole, 10));
        assertDataError(() -> IdxReader.readImages(file), "short-header", "truncated", "16 bytes");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] whole = rampImages(10, 3, 3);
        Path file = write(dir.resolve("short-data"), Arrays.copyOf(whole, whole.length - 5));
        assertDataError(() -> IdxReader.readImages(file), "short-data", "10×3×3", "need 90", "has 85");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] compressed = gzip(rampImages(50, 4, 4));
        Path file = write(dir.resolve("short.gz"), Arrays.copyOf(compressed, compressed.length / 2));
        assertDataError(() -> IdxReader.readImages(file), "short.gz", "truncated");
    }

    @Test
    void headerDimensionsLargerThanPlainFile() throws IOException {
        // Claims 60000 images of 28×28 but carries 4 pixels: must fail on the size check, not allocate 47 MB.
        Path file = write(dir.resolve("liar"), images(60000, 28, 28, new byte[4]));
        assertDataError(() -> IdxReader.readImages(file), "liar", "60000×28×28", "need 47040000", "has 4");
    }

    @Test
    void headerDimensionsSmallerThanFile() throws IOException {
        Path file = write(dir.resolve("extra-bytes"), images(1, 2, 2, new byte[9]));
        assertDataError(() -> IdxReader.readImages(file), "extra-bytes", "1×2×2", "need 4", "has 9");
    }

    @Test
    void gzipHeaderClaimingHugeDataFailsWithoutTrustingIt() throws IOException {
        // 46340² ≈ 2^31 bytes promised, 16 delivered: bounded growth reads what arrives and stops.
        Path file = write(dir.resolve("huge-claim.gz"), gzip(images(1, 46340, 46340, new byte[16])));
        assertDataError(() -> IdxReader.readImages(file), "huge-claim.gz", "46340×46340", "has 16");
    }

    @Test
    void gzipTrailerAgreeingWithAHugeHeaderOfATinyFileIsNotTrusted() throws IOException {
        // Header and trailer both claim 46340² bytes (8.6 GB as floats, more than the test JVM's heap), but
        // 50-odd bytes of deflate cannot expand that far: the reader must not allocate from them (an
        // OutOfMemoryError here), and reads what arrives instead, up to the trailer that does not match.
        byte[] file = gzip(images(1, 46340, 46340, new byte[16]));
        setTrailerSize(file, 16 + 46340L * 46340L);
        Path path = write(dir.resolve("huge-trailer.gz"), file);
        assertDataError(() -> IdxReader.readImages(path), "huge-trailer.gz", "corrupt");
    }

    @Test
    void gzipTrailerAgreeingWithAHeaderLargerThanTheData() throws IOException {
        byte[] file = gzip(images(1, 30, 30, new byte[16]));
        setTrailerSize(file, 16 + 900);
        Path path = write(dir.resolve("lying-trailer.gz"), file);
        assertDataError(() -> IdxReader.readImages(path), "lying-trailer.gz", "truncated");
    }

    @Test
    void gzipOfSeveralMembersIsReadWhole() throws IOException {
        // The trailer then gives the last member's size only: the reader must not rely on it.
        byte[] raw = rampImages(40, 5, 5);
        int cut = 16 + 333;
        byte[] first = gzip(Arrays.copyOf(raw, cut));
        byte[] second = gzip(Arrays.copyOfRange(raw, cut, raw.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Path path = write(dir.resolve("members.gz"), both);
        Path plain = write(dir.resolve("members"), raw);
        assertArrayEquals(IdxReader.readImages(plain).pixels(), IdxReader.readImages(path).pixels());
    }

    @Test
    void largeGzipImagesMatchThePlainFile() throws IOException {
        // More than one read chunk, through the trusted-trailer path.
        byte[] raw = rampImages(300, 28, 28);
        Path plain = write(dir.resolve("big"), raw);
        Path gz = write(dir.resolve("big.gz"), gzip(raw));
        float[] pixels = IdxReader.readImages(gz).pixels();
        assertEquals(300 * 28 * 28, pixels.length);
        assertArrayEquals(IdxReader.readImages(plain).pixels(), pixels);
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] != (raw[16 + i] & 0xFF) / 255f) fail("pixel " + i + " is " + pixels[i]);
        }
    }

    /** Overwrites a gzip file's trailer size field (its last four bytes, little-endian, modulo 2^32). */
    private static void setTrailerSize(byte[] gz, long size) {
        for (int b = 0; b < 4; b++) gz[gz.length - 4 + b] = (byte) (size >>> (8 * b));
    }

    @Test
    void gzipDataLongerThanHeader() throws IOException {
        Path file = write(dir.resolve("long.gz"), gzip(images(1, 2, 2, new byte[5])));
        assertDataError(() -> IdxReader.readImages(file), "long.gz", "need 4", "has more");
    }

    @Test
    void headerDimensionsBeyondAnyArray() throws IOException {
        Path file = write(dir.resolve("overflow"), images(0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, new byte[0]));
        assertDataError(() -> IdxReader.readImages(file), "overflow", "exceed");
    }

    @Test
    void zeroOrNegativeDimension() throws IOException {
        Path zero = write(dir.resolve("zero-rows"), images(3, 0, 2, new byte[0]));
        assertDataError(() -> IdxReader.readImages(zero), "zero-rows", "dimension 1 is 0");
        Path negative = write(dir.resolve("negative-count"), DataFiles.idx(IdxReader.LABELS_MAGIC, new int[] {-1}, new byte[0]));
        assertDataError(() -> IdxReader.readLabels(negative), "negative-count", "dimension 0 is 4294967295");
    }

    @Test
    void imageAndLabelCountsDiffer() throws IOException {
        Path imagesPath = write(dir.resolve("three-images"), rampImages(3, 2, 2));
        Path labelsPath = write(dir.resolve("two-labels"), labels((byte) 1, (byte) 2));
        assertDataError(() -> IdxReader.read(imagesPath, labelsPath, "x"), "three-images", "two-labels", "3 images",
                "2 labels");
    }

    @Test
    void testLabelOutsideTrainingClasses() throws IOException {
        write(dir.resolve(IdxReader.TRAIN_IMAGES), rampImages(2, 2, 2));
        write(dir.resolve(IdxReader.TRAIN_LABELS), labels((byte) 0, (byte) 9));
        write(dir.resolve(IdxReader.TEST_IMAGES), rampImages(2, 2, 2));
        write(dir.resolve(IdxReader.TEST_LABELS), labels((byte) 3, (byte) 10));
        assertDataError(() -> IdxReader.readFolder(dir), IdxReader.TEST_LABELS, "label 10", "item 1", "0..9");
    }

    @Test
    void testImagesOfAnotherSize() throws IOException {
        write(dir.resolve(IdxReader.TRAIN_IMAGES), rampImages(2, 2, 2));
        write(dir.resolve(IdxReader.TRAIN_LABELS), labels((byte) 0, (byte) 1));
        write(dir.resolve(IdxReader.TEST_IMAGES), rampImages(1, 3, 3));
        write(dir.resolve(IdxReader.TEST_LABELS), labels((byte) 1));
        assertDataError(() -> IdxReader.readFolder(dir), IdxReader.TEST_IMAGES, "9 pixels", "have 4");
    }

    @Test
    void folderMissingAFile() throws IOException {
        write(dir.resolve(IdxReader.TRAIN_IMAGES), rampImages(2, 2, 2));
        assertDataError(() -> IdxReader.readFolder(dir), dir.toString(), IdxReader.TRAIN_LABELS + ".gz");
    }

    @Test
    void folderNotFound() {
        Path missing = dir.resolve("nowhere");
        assertDataError(() -> IdxReader.readFolder(missing), "nowhere", "not found");
    }

    @Test
    void everyTruncationAndCorruptionIsADataFormatException() throws IOException {
        byte[] plain = rampImages(4, 3, 3);
        byte[] compressed = gzip(plain);
        Path file = dir.resolve("mangled");
        for (byte[] whole : new byte[][] {plain, compressed}) {
            for (int length = 0; length < whole.length; length++) {
                write(file, Arrays.copyOf(whole, length));
                expectOnlyDataFormatException(file);
            }
            Random random = new Random(7);
            for (int trial = 0; trial < 300; trial++) {
                byte[] mangled = whole.clone();
                mangled[random.nextInt(mangled.length)] = (byte) random.nextInt(256);
                write(file, mangled);
                expectOnlyDataFormatException(file);
            }
        }
    }

    /** A mangled file may happen to stay valid; what it must never do is escape as another exception. */
    private static void expectOnlyDataFormatException(Path file) {
        try {
            IdxReader.readImages(file);
        } catch (DataFormatException e) {
            assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains("mangled"), e.getMessage());
        } catch (Throwable t) {
            fail("escaped as " + t + " for a file of " + sizeOf(file) + " bytes", t);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}

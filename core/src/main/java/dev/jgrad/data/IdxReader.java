package dev.jgrad.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, plain or gzipped (recognised by the gzip magic bytes,
 * not the file name). A file is a big-endian header — the magic number {@code 0x00000803} for images
 * (unsigned bytes, 3 dimensions: count, rows, columns) or {@code 0x00000801} for labels (unsigned bytes,
 * 1 dimension: count), then one 32-bit size per dimension — followed by the data, one byte per value.
 *
 * <p>The header is checked against the data before anything is allocated from it: for a plain file the
 * data length must equal the file size less the header; for a gzip file, its trailer (the decompressed size
 * modulo 2<sup>32</sup>) must agree with the header and the file must be large enough to hold that much data
 * at deflate's highest ratio, and otherwise a buffer grows only as decompressed bytes actually arrive.
 * Either way the stream must end exactly where the header says. Where the header is trusted, the data is
 * decoded in small chunks straight into the returned array: no copy of the file's bytes is kept, which
 * spares the garbage collector a few hundred megabytes for Fashion-MNIST. Pixels are scaled to [0, 1] by
 * dividing by 255.
 */
public final class IdxReader {
    /** The magic number of an image file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of a label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The training images' file name in an MNIST-style folder; each of the four may also end in {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** The training labels' file name (without {@code .gz}). */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The test images' file name (without {@code .gz}). */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** The test labels' file name (without {@code .gz}). */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final int FIRST_GZIP_BUFFER = 1 << 20;
    private static final int CHUNK = 1 << 16;
    /** Deflate's largest expansion, output bytes per input byte (a stream of one repeated byte). */
    private static final long DEFLATE_MAX_RATIO = 1032;
    private static final float[] SCALED_BYTE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALED_BYTE[i] = i / 255f;
        }
    }

    private IdxReader() {}

    /**
     * Images of {@code rows × columns} pixels, row-major, each pixel in [0, 1].
     *
     * @param count   the number of images
     * @param rows    each image's height in pixels
     * @param columns each image's width in pixels
     * @param pixels  [count, rows, columns] row-major, each in [0, 1]
     */
    public record Images(int count, int rows, int columns, float[] pixels) {}

    /**
     * Reads an IDX image file (magic 0x00000803).
     *
     * @param file the file, plain or gzipped
     * @return its images, pixels scaled to [0, 1]
     * @throws DataFormatException when the file cannot be read, has another magic number, or its header and
     *                             data disagree
     */
    public static Images readImages(Path file) throws DataFormatException {
        Decoded<float[]> images = read(file, IMAGES_MAGIC, float[]::new, (out, chunk, length, at) -> {
            for (int i = 0; i < length; i++) {
                out[at + i] = SCALED_BYTE[chunk[i] & 0xFF];
            }
        });
        int[] dims = images.dims();
        return new Images(dims[0], dims[1], dims[2], images.data());
    }

    /**
     * Reads an IDX label file (magic 0x00000801).
     *
     * @param file the file, plain or gzipped
     * @return the labels, the unsigned byte values 0–255
     * @throws DataFormatException when the file cannot be read, has another magic number, or its header and
     *                             data disagree
     */
    public static int[] readLabels(Path file) throws DataFormatException {
        return read(file, LABELS_MAGIC, int[]::new, (out, chunk, length, at) -> {
            for (int i = 0; i < length; i++) {
                out[at + i] = chunk[i] & 0xFF;
            }
        }).data();
    }

    /**
     * Reads an image file and its label file as one dataset; the class count is the largest label + 1.
     * The two files must hold the same number of items.
     *
     * @param imagesFile the IDX image file
     * @param labelsFile the IDX label file
     * @param name       the dataset's name
     * @return the images as rows of {@code rows * columns} features, with their labels
     * @throws DataFormatException when a file is unreadable or the counts differ
     */
    public static Dataset read(Path imagesFile, Path labelsFile, String name) throws DataFormatException {
        return read(readImages(imagesFile), imagesFile, labelsFile, name);
    }

    private static Dataset read(Images images, Path imagesFile, Path labelsFile, String name) throws DataFormatException {
        int[] labels = readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new DataFormatException(imagesFile + " holds " + images.count() + " images but " + labelsFile
                    + " holds " + labels.length + " labels");
        }
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        return new Dataset(name, images.pixels(), labels, images.count(), images.rows() * images.columns(), classes);
    }

    /**
     * Reads a folder holding the four MNIST files ({@link #TRAIN_IMAGES}, {@link #TRAIN_LABELS},
     * {@link #TEST_IMAGES}, {@link #TEST_LABELS}, each plain or with {@code .gz}; plain wins when both
     * exist). The classes are those of the training labels; a test label outside them is an error, and
     * test images must have the training images' rows and columns, not only as many pixels.
     *
     * @param folder the folder
     * @return the training and test sets, named after the folder
     * @throws DataFormatException when the folder or a file is missing, unreadable or not a regular file, or the sets disagree
     */
    public static Split readFolder(Path folder) throws DataFormatException {
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(folder + ": folder not found");
        }
        if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
            throw new DataFormatException(folder + ": cannot read the folder (permission denied)");
        }
        String name = folder.toAbsolutePath().normalize().getFileName() == null
                ? folder.toString() : folder.toAbsolutePath().normalize().getFileName().toString();
        Path trainImagesFile = locate(folder, TRAIN_IMAGES);
        Path trainLabelsFile = locate(folder, TRAIN_LABELS);
        Images trainImages = readImages(trainImagesFile);
        Dataset train = read(trainImages, trainImagesFile, trainLabelsFile, name + " train");
        Path testLabels = locate(folder, TEST_LABELS);
        Path testImagesFile = locate(folder, TEST_IMAGES);
        Images testImages = readImages(testImagesFile);
        if (testImages.rows() != trainImages.rows() || testImages.columns() != trainImages.columns()) {
            throw new DataFormatException(testImagesFile + ": images of " + testImages.rows() + "×" + testImages.columns()
                    + " = " + testImages.rows() * testImages.columns() + " pixels, but the training images have "
                    + trainImages.rows() * trainImages.columns() + " (" + trainImages.rows() + "×" + trainImages.columns()
                    + "); the same shape is needed, not only the same pixel count");
        }
        Dataset test = read(testImages, testImagesFile, testLabels, name + " test");
        int[] labels = test.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= train.classes()) {
                throw new DataFormatException(testLabels + ": label " + labels[i] + " (item " + i
                        + ") is outside the training labels' classes 0.." + (train.classes() - 1));
            }
        }
        return new Split(train, new Dataset(test.name(), test.features(), labels, test.size(),
                test.featureCount(), train.classes()));
    }

    /**
     * The pixels per image of a folder's training images, from the file's header alone: cheap, for work that
     * needs only the data's shape while the data loads.
     *
     * @param folder a folder as {@link #readFolder} takes
     * @return rows × columns, or empty when the folder or its header cannot be read (then {@link #readFolder}
     *         says why)
     */
    public static OptionalInt featureCount(Path folder) {
        try {
            Path file = locate(folder, TRAIN_IMAGES);
            try (InputStream in = DataInput.open(file).in()) {
                int[] dims = readHeader(in, file, IMAGES_MAGIC);
                return OptionalInt.of(dims[1] * dims[2]);       // the header's check bounds the product
            }
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    private static Path locate(Path folder, String base) throws DataFormatException {
        for (Path candidate : new Path[]{folder.resolve(base), folder.resolve(base + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            if (Files.exists(candidate)) {
                throw new DataFormatException(candidate + ": is " + DataInput.kind(candidate) + ", not a regular file");
            }
        }
        throw new DataFormatException(folder + ": has neither " + base + " nor " + base + ".gz");
    }

    /** Decodes a chunk of a file's data bytes into the array that {@link #read} returns. */
    private interface Decoder<T> {
        /** Sets {@code out}'s values {@code at..at+length)} from the data bytes {@code chunk[0..length)}. */
        void put(T out, byte[] chunk, int length, int at);
    }

    private record Decoded<T>(int[] dims, T data) {}

    /**
     * Reads the file's header, then its data into an array of the header's size ({@code allocate}), decoded a
     * chunk at a time ({@code decoder}).
     */
    private static <T> Decoded<T> read(Path file, int magic, IntFunction<T> allocate, Decoder<T> decoder)
            throws DataFormatException {
        String what = magic == IMAGES_MAGIC ? "IDX images" : "IDX labels";
        try {
            DataInput.Opened opened = DataInput.open(file);
            try (InputStream in = opened.in()) {
                int[] dims = readHeader(in, file, magic);
                int headerLength = 4 + 4 * dims.length;
                long expected = 1;
                for (int d : dims) expected *= d;
                if (opened.gzipped()) {
                    if (!gzipAgrees(file, headerLength + expected)) {
                        byte[] bytes = readGrowing(in, (int) expected, file, dims);
                        T data = allocate.apply(bytes.length);
                        decoder.put(data, bytes, bytes.length, 0);
                        return new Decoded<>(dims, data);
                    }
                } else {
                    long available = Files.size(file) - headerLength;
                    if (available != expected) {
                        throw new DataFormatException(file + ": header dimensions " + describe(dims, dims.length)
                                + " need " + expected + " data bytes, the file has " + available
                                + (available < expected ? " (truncated?)" : ""));
                    }
                }
                T data = allocate.apply((int) expected);
                readChunks(in, (int) expected, file, dims, data, decoder);
                return new Decoded<>(dims, data);
            }
        } catch (DataFormatException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file + ": truncated or corrupt gzip data: " + DataInput.oneLine(e));
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read " + what + ": " + DataInput.oneLine(e));
        }
    }

    /**
     * Whether a gzip file can hold {@code decompressed} bytes: its trailer's size field (the last four bytes,
     * little-endian, the size modulo 2^32) says so, and the file is not too small to expand that far.
     * A file of several gzip members, or a damaged one, may say no; it is then read without trusting the header.
     */
    private static boolean gzipAgrees(Path file, long decompressed) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size < 18 || decompressed > size * DEFLATE_MAX_RATIO) return false;   // 18: gzip's own header and trailer
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (trailer.hasRemaining()) {
                if (channel.read(trailer, size - 4 + trailer.position()) < 0) return false;
            }
            return Integer.toUnsignedLong(trailer.getInt(0)) == (decompressed & 0xFFFF_FFFFL);
        }
    }

    /** Reads exactly {@code expected} bytes into {@code out} a chunk at a time, then requires EOF. */
    private static <T> void readChunks(InputStream in, int expected, Path file, int[] dims, T out, Decoder<T> decoder)
            throws IOException {
        byte[] chunk = new byte[Math.min(expected, CHUNK)];
        int filled = 0;
        while (filled < expected) {
            int n = in.read(chunk, 0, Math.min(chunk.length, expected - filled));
            if (n < 0) throw dataEnds(file, dims, expected, filled);
            decoder.put(out, chunk, n, filled);
            filled += n;
        }
        requireEnd(in, file, dims, expected);
    }

    /**
     * Reads and checks an IDX header: the magic number, then one positive dimension per the magic's last byte,
     * whose product jgrad can hold.
     *
     * @return the dimensions
     */
    private static int[] readHeader(InputStream in, Path file, int magic) throws IOException {
        String what = magic == IMAGES_MAGIC ? "IDX images" : "IDX labels";
        int dimCount = magic & 0xFF;
        int headerLength = 4 + 4 * dimCount;
        byte[] header = in.readNBytes(headerLength);
        if (header.length == 0) {
            throw new DataFormatException(file + ": is empty, expected " + what);
        }
        if (header.length >= 4 && bigEndianInt(header, 0) != magic) {
            int found = bigEndianInt(header, 0);
            String hint = found == IMAGES_MAGIC ? " (an IDX images file)"
                    : found == LABELS_MAGIC ? " (an IDX labels file)" : "";
            throw new DataFormatException(String.format("%s: magic number 0x%08X%s is not 0x%08X (%s)",
                    file, found, hint, magic, what));
        }
        if (header.length < headerLength) {
            throw new DataFormatException(file + ": truncated: the " + what + " header needs "
                    + headerLength + " bytes, the file has " + header.length);
        }
        int[] dims = new int[dimCount];
        long expected = 1;
        for (int d = 0; d < dimCount; d++) {
            dims[d] = bigEndianInt(header, 4 + 4 * d);
            if (dims[d] <= 0) {
                throw new DataFormatException(file + ": header dimension " + d + " is "
                        + Integer.toUnsignedString(dims[d]) + "; dimensions must be 1 to " + Integer.MAX_VALUE);
            }
            // Each factor is below 2^31, so checking after every step keeps the product from overflowing.
            expected *= dims[d];
            if (expected > DataInput.MAX_ARRAY) {
                throw new DataFormatException(file + ": header dimensions " + describe(dims, d + 1)
                        + " exceed the " + DataInput.MAX_ARRAY + " values jgrad can hold");
            }
        }
        return dims;
    }

    /** Reads exactly {@code expected} bytes, growing the buffer only as data arrives, then requires EOF. */
    private static byte[] readGrowing(InputStream in, int expected, Path file, int[] dims) throws IOException {
        byte[] buffer = new byte[Math.min(expected, FIRST_GZIP_BUFFER)];
        int filled = 0;
        while (filled < expected) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(expected, 2L * buffer.length));
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) throw dataEnds(file, dims, expected, filled);
            filled += n;
        }
        requireEnd(in, file, dims, expected);
        return buffer;
    }

    private static DataFormatException dataEnds(Path file, int[] dims, int expected, int filled) {
        return new DataFormatException(file + ": header dimensions " + describe(dims, dims.length) + " need "
                + expected + " data bytes, the data has " + filled + " (truncated?)");
    }

    private static void requireEnd(InputStream in, Path file, int[] dims, int expected) throws IOException {
        if (in.read() >= 0) {
            throw new DataFormatException(file + ": header dimensions " + describe(dims, dims.length) + " need "
                    + expected + " data bytes, the data has more");
        }
    }

    private static String describe(int[] dims, int count) {
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < count; d++) {
            text.append(d == 0 ? "" : "×").append(dims[d]);
        }
        return text.toString();
    }

    private static int bigEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
    }
}

package dev.jgrad.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Resolves a data spec (the CLI's {@code --data}) to a train/test split:
 * <ul>
 *   <li>{@code digits} (also a null or blank spec): the 1,797 8×8 handwritten digits embedded in the jar
 *       (see {@code digits.NOTICE.md} beside them), split by {@link #splitSeededShuffle};</li>
 *   <li>{@code fashion-mnist}: the Debian package {@code dataset-fashion-mnist}'s folder
 *       {@link #FASHION_MNIST_DIR}, with its own train/test files;</li>
 *   <li>a path to a folder: MNIST-style IDX files, read by {@link IdxReader#readFolder};</li>
 *   <li>a path to a file: CSV, read by {@link CsvReader} and split by {@link #splitSeededShuffle}.</li>
 * </ul>
 */
public final class Datasets {
    /** The spec and name of the embedded handwritten digits. */
    public static final String DIGITS = "digits";
    /** The spec and name of Fashion-MNIST as Debian installs it. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Where Debian's {@code dataset-fashion-mnist} puts the IDX files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Fixed, and independent of the training seed, so every run evaluates on the same held-out examples. */
    public static final long SPLIT_SEED = 42;
    /** The share of a dataset without its own test set (the digits, a CSV file) that trains. */
    public static final double TRAIN_FRACTION = 0.8;

    private static final String DIGITS_RESOURCE = "digits.csv.gz";

    private Datasets() {}

    /**
     * Loads what a data spec names; class labels are checked as {@link #load(String, CsvFormat, int)} with 0
     * says.
     *
     * @param spec {@code digits} (also null or blank), {@code fashion-mnist}, a folder of IDX files or a CSV file
     * @return the training and test sets
     * @throws DataFormatException when the spec names nothing readable, with a one-line message naming the
     *                             file and the problem; a {@link LabelGapException} for classes missing below the largest label
     */
    public static Split load(String spec) throws DataFormatException {
        return load(spec, CsvFormat.LABEL_LAST, 0);
    }

    /**
     * Loads what {@code spec} names with class labels and {@code classes} classes: every label must be below
     * it. With 0 the count is the largest training label + 1, and classes without an example below it are
     * a {@link LabelGapException} naming where the largest label is (see {@link Labels#classes}).
     *
     * @param spec    as {@link #load(String)} takes
     * @param classes the class count, or 0 to infer it
     * @return the training and test sets
     * @throws DataFormatException when the data cannot be read, or its labels do not fit the class count
     */
    public static Split load(String spec, int classes) throws DataFormatException {
        return load(spec, CsvFormat.LABEL_LAST, classes);
    }

    /**
     * {@link #load(String, CsvFormat)}, and for class targets the class count checked as
     * {@link #load(String, int)} says.
     *
     * @param spec    as {@link #load(String)} takes
     * @param csv     how a CSV file's columns are laid out
     * @param classes the class count, or 0 to infer it (class targets only)
     * @return the training and test sets
     * @throws DataFormatException when the data cannot be read, or its labels do not fit the class count
     */
    public static Split load(String spec, CsvFormat csv, int classes) throws DataFormatException {
        if (classes < 0) throw new IllegalArgumentException("classes must be 0 (inferred) or positive, got " + classes);
        String name = spec == null ? "" : spec.strip();
        Path path = name.isEmpty() || name.equals(DIGITS) || name.equals(FASHION_MNIST) ? null : resolve(name);
        if (csv.targets() != Targets.Kind.CLASSES) return load(spec, csv);
        if (path != null && Files.isRegularFile(path) && csv.equals(CsvFormat.LABEL_LAST)) {
            return splitSeededShuffle(CsvReader.read(path, classes));
        }
        Split split = load(spec, csv);
        String source = path != null && Files.isDirectory(path) ? path.toString() : name.isEmpty() ? DIGITS : name;
        int count = Labels.classes(split.train().labels(), classes, source + " (training labels)", i -> "item " + i);
        Labels.classes(split.test().labels(), count, source + " (test labels)", i -> "item " + i);
        return new Split(withClasses(split.train(), count), withClasses(split.test(), count));
    }

    private static Dataset withClasses(Dataset d, int classes) {
        return new Dataset(d.name(), d.features(), d.labels(), d.size(), d.featureCount(), classes);
    }

    /**
     * Loads what {@code spec} names, a CSV file read as {@code csv} says. The other sources hold class labels:
     * with a format of {@link Targets.Kind#NONE} their labels are dropped, and one asking for
     * {@link Targets.Kind#VALUES} is an error.
     *
     * @param spec {@code digits} (also null or blank), {@code fashion-mnist}, a folder of IDX files or a CSV file
     * @param csv  how a CSV file's columns are laid out
     * @return the training and test sets
     * @throws DataFormatException when the spec names nothing readable, or a format the source cannot give
     */
    public static Split load(String spec, CsvFormat csv) throws DataFormatException {
        String name = spec == null ? "" : spec.strip();
        Path file = null;
        Split split;
        if (name.isEmpty() || name.equals(DIGITS)) {
            split = digits();
        } else if (name.equals(FASHION_MNIST)) {
            split = fashionMnist(FASHION_MNIST_DIR);
        } else {
            file = resolve(name);
            split = Files.isDirectory(file) ? IdxReader.readFolder(file) : splitSeededShuffle(CsvReader.read(file, csv));
        }
        if (file != null && !Files.isDirectory(file)) return split;
        return switch (csv.targets()) {
            case CLASSES -> split;
            case NONE -> new Split(split.train().withTargets(new Targets.None()), split.test().withTargets(new Targets.None()));
            case VALUES -> throw new DataFormatException("data '" + name + "' holds class labels; target columns can be chosen"
                    + " in a CSV file only");
        };
    }

    /**
     * The features per example of what {@code spec} names, without loading it: the header of an IDX folder's
     * training images, the embedded digits' width. For starting work that needs only the data's shape (a
     * {@link dev.jgrad.train.JitWarmup}) while {@link #load} reads the data.
     *
     * @param spec as {@link #load(String)} takes
     * @return the feature count, or empty for a CSV file (whose columns depend on the format) and for anything
     *         unreadable (then {@link #load} says why)
     */
    public static OptionalInt featureCount(String spec) {
        String name = spec == null ? "" : spec.strip();
        if (name.isEmpty() || name.equals(DIGITS)) {
            try {
                return OptionalInt.of(digits().train().featureCount());
            } catch (DataFormatException e) {
                return OptionalInt.empty();
            }
        }
        if (name.equals(FASHION_MNIST)) return IdxReader.featureCount(FASHION_MNIST_DIR);
        try {
            Path path = resolve(name);
            return Files.isDirectory(path) ? IdxReader.featureCount(path) : OptionalInt.empty();
        } catch (DataFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static Path resolve(String name) throws DataFormatException {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw unknown(name, "not a valid path");
        }
        if (Files.isDirectory(path) || Files.isRegularFile(path)) {
            return path;
        }
        throw unknown(name, Files.exists(path) ? "is " + FileKind.of(path) + ", neither a regular file nor a folder" : "no such file or folder");
    }

    /**
     * The embedded handwritten digits (64 features in [0, 1], 10 classes), split 80/20 by {@link #SPLIT_SEED}:
     * 1,437 training and 360 test examples.
     *
     * @return the training and test sets
     * @throws DataFormatException when the embedded file is missing or unreadable (a broken jar)
     */
    public static Split digits() throws DataFormatException {
        return splitSeededShuffle(digitsAll());
    }

    /**
     * All 1,797 embedded digits, unsplit, in file order.
     *
     * @return the dataset
     * @throws DataFormatException when the embedded file is missing or unreadable (a broken jar)
     */
    public static Dataset digitsAll() throws DataFormatException {
        String source = "embedded " + DIGITS_RESOURCE;
        try (InputStream in = Datasets.class.getResourceAsStream(DIGITS_RESOURCE)) {
            if (in == null) {
                throw new DataFormatException(source + ": missing from the jgrad jar (a broken build?)");
            }
            Dataset read = CsvReader.read(in, source);
            return read.named(DIGITS);
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFormatException(source + ": cannot read: " + DataInput.oneLine(e));
        }
    }

    /**
     * Fashion-MNIST from a folder of its four IDX files.
     *
     * @param folder the folder, usually {@link #FASHION_MNIST_DIR}
     * @return its 60,000 training and 10,000 test images, pixels in [0, 1]
     * @throws DataFormatException when the folder is absent (the message names the package to install) or a
     *                             file is unreadable
     */
    public static Split fashionMnist(Path folder) throws DataFormatException {
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(FASHION_MNIST + ": " + folder
                    + " not found; install it with: sudo apt-get install dataset-fashion-mnist");
        }
        Split split = IdxReader.readFolder(folder);
        return new Split(split.train().named(FASHION_MNIST + " train"), split.test().named(FASHION_MNIST + " test"));
    }

    /**
     * Splits a dataset the way {@link #load} splits those without a test set: {@link Split#shuffled} with
     * {@link #TRAIN_FRACTION} and {@link #SPLIT_SEED}.
     *
     * @param all the dataset to split
     * @return the two parts
     * @throws DataFormatException when either part would be empty
     */
    public static Split splitSeededShuffle(Dataset all) throws DataFormatException {
        return Split.shuffled(all, TRAIN_FRACTION, SPLIT_SEED);
    }

    private static DataFormatException unknown(String spec, String why) {
        return new DataFormatException("data '" + spec + "': " + why + "; expected " + DIGITS + ", " + FASHION_MNIST
                + ", a folder of IDX files or a CSV file");
    }
}

package dev.jgrad.data;

import static dev.jgrad.data.DataFiles.assertDataError;
import static dev.jgrad.data.DataFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Target columns chosen by index or header name, of values, of labels, or none. */
class CsvTargetsTest {
    @TempDir
    Path dir;

    private static final String TABLE = "age,bmi,y1,y2\n20,30,1.5,-2\n40,10,2.5,4e1\n";

    @Test
    void valueTargetsByHeaderNameKeepTheirOrderAndAreNotScaled() throws IOException {
        Path file = write(dir.resolve("t.csv"), TABLE);
        Dataset d = CsvReader.read(file, CsvFormat.values(List.of("y2", "y1")));
        assertEquals(2, d.featureCount());
        assertArrayEquals(new float[] {0.5f, 0.75f, 1f, 0.25f}, d.features(), "features scaled by their largest value, 40");
        Targets.Values v = assertInstanceOf(Targets.Values.class, d.targets());
        assertEquals(2, v.width());
        assertArrayEquals(new float[] {-2f, 1.5f, 40f, 2.5f}, v.values());
        assertEquals(0, d.classes());
    }

    @Test
    void indicesCountFromZeroAndNegativesFromTheEnd() throws IOException {
        Path file = write(dir.resolve("t.csv"), TABLE);
        Dataset d = CsvReader.read(file, new CsvFormat(List.of("0", "-1"), Targets.Kind.VALUES, false));
        assertArrayEquals(new float[] {30, 1.5f, 10, 2.5f}, d.features(), "columns 1 and 2, unscaled");
        assertArrayEquals(new float[] {20, -2, 40, 40}, ((Targets.Values) d.targets()).values());
    }

    @Test
    void aLabelColumnAnywhereAndNoTargets() throws IOException {
        Path file = write(dir.resolve("l.csv"), "1,0.5,0.25\n0,1,0\n2,0,1\n");
        Dataset labelled = CsvReader.read(file, CsvFormat.labels("0"));
        assertArrayEquals(new int[] {1, 0, 2}, labelled.labels());
        assertEquals(3, labelled.classes());
        assertArrayEquals(new float[] {0.5f, 0.25f, 1, 0, 0, 1}, labelled.features());
        Dataset none = CsvReader.read(file, CsvFormat.featuresOnly().scaled(false));
        assertEquals(3, none.featureCount());
        assertInstanceOf(Targets.None.class, none.targets());
    }

    @Test
    void splitsKeepValueTargetsWithTheirRows() throws IOException {
        StringBuilder s = new StringBuilder("x,y\n");
        for (int i = 0; i < 10; i++) s.append(i).append(',').append(i * 10).append('\n');
        Dataset d = CsvReader.read(write(dir.resolve("s.csv"), s.toString()), new CsvFormat(List.of("y"), Targets.Kind.VALUES, false));
        Split split = Datasets.splitSeededShuffle(d);
        for (Dataset part : List.of(split.train(), split.test())) {
            float[] y = ((Targets.Values) part.targets()).values();
            for (int i = 0; i < part.size(); i++) assertEquals(part.features()[i] * 10, y[i], "row " + i + " of " + part.name());
        }
    }

    @Test
    void badTargetColumnsAreOneLineNamingTheColumn() throws IOException {
        Path file = write(dir.resolve("t.csv"), TABLE);
        assertDataError(() -> CsvReader.read(file, CsvFormat.values(List.of("weight"))), "t.csv", "no column is named 'weight'", "age,bmi,y1,y2");
        assertDataError(() -> CsvReader.read(file, CsvFormat.values(List.of("4"))), "t.csv", "target column 4 is outside", "4 columns");
        assertDataError(() -> CsvReader.read(file, CsvFormat.values(List.of("y1", "2"))), "t.csv", "named twice");
        assertDataError(() -> CsvReader.read(file, CsvFormat.values(List.of("0", "1", "2", "3"))), "t.csv", "has 4 columns", "feature values and 4 target columns");
        Path bare = write(dir.resolve("bare.csv"), "1,2,3\n");
        assertDataError(() -> CsvReader.read(bare, CsvFormat.values(List.of("y"))), "bare.csv", "no header row", "0-based index");
        Path text = write(dir.resolve("text.csv"), "a,b\n1,x\n");
        assertDataError(() -> CsvReader.read(text, CsvFormat.values(List.of("b"))), "text.csv", "line 2, column 2", "'x' is not a number");
    }

    @Test
    void builtInSourcesCanDropTheirLabelsButNotTakeValueColumns() throws DataFormatException {
        Split digits = Datasets.load("digits", CsvFormat.featuresOnly());
        assertInstanceOf(Targets.None.class, digits.train().targets());
        assertEquals(64, digits.train().featureCount());
        assertDataError(() -> Datasets.load("digits", CsvFormat.values(List.of("3"))), "digits", "CSV file only");
    }
}

package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    /** Two columns: 1,2,3 (mean 2, population std sqrt(2/3)) and a constant 5 (std 1 by convention). */
    private static final Dataset DATA = new Dataset("d", new float[] {1, 5, 2, 5, 3, 5}, 3, 2, new Targets.Values(new float[] {10, 20, 60}, 1));

    @Test
    void fitsMeanAndPopulationStdLikeScikitLearn() {
        Standardizer s = Standardizer.fit(DATA.features(), 2);
        assertArrayEquals(new float[] {2, 5}, s.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(2.0 / 3), 1}, s.std());
        float[] z = s.transform(DATA.features());
        assertEquals(-1.2247449f, z[0], 1e-6f);
        assertEquals(0f, z[1]);
        assertArrayEquals(DATA.features(), s.inverse(z), 1e-6f);
    }

    @Test
    void appliesToFeaturesAndValueTargetsAndRoundTripsThroughMetadata() throws DataFormatException {
        Normalization n = Normalization.fit(DATA, true, true);
        Dataset z = n.apply(DATA);
        float[] y = ((Targets.Values) z.targets()).values();
        assertEquals(0f, y[0] + y[1] + y[2], 1e-6f, "standardized targets have mean 0");
        assertArrayEquals(new float[] {10, 20, 60}, n.targetsToOriginal(y), 1e-5f);
        Map<String, String> meta = n.metadata();
        assertEquals(n, Normalization.fromMetadata(meta, "m"));
        assertSame(Normalization.NONE.apply(DATA), DATA);
    }

    @Test
    void classLabelsAreNeverScaled() {
        Dataset labelled = new Dataset("c", new float[] {1, 2, 3, 4}, new int[] {0, 1}, 2, 2, 2);
        Normalization n = Normalization.fit(labelled, false, true);
        assertNull(n.targets());
        assertSame(labelled, n.apply(labelled));
    }

    @Test
    void badMetadataNamesTheKey() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Normalization.fromMetadata(Map.of("jgrad.standardize.features.mean", "1,2"), "m.safetensors"));
        assertEquals("m.safetensors: metadata has jgrad.standardize.features.mean without jgrad.standardize.features.std", e.getMessage());
        assertThrows(DataFormatException.class, () -> Normalization.fromMetadata(
                Map.of("jgrad.standardize.targets.mean", "1", "jgrad.standardize.targets.std", "0"), "m"));
    }
}

package dev.jgrad.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionMatrixTest {
    // actual:    0 0 0 0 1 1 1 2 2 2
    // predicted: 0 0 1 2 1 1 0 2 2 1
    private final ConfusionMatrix m = ConfusionMatrix.of(3, new int[]{0, 0, 0, 0, 1, 1, 1, 2, 2, 2},
            new int[]{0, 0, 1, 2, 1, 1, 0, 2, 2, 1});

    @Test
    void countsAndAccuracy() {
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(1, 0));
        assertEquals(10, m.total());
        assertEquals(0.6, m.accuracy(), 1e-12);
    }

    @Test
    void perClassMetricsAsWorkedByHand() {
        // class 0: predicted 0 three times (2 right), 4 actual -> P 2/3, R 1/2, F1 4/7
        assertEquals(2.0 / 3, m.precision(0), 1e-12);
        assertEquals(0.5, m.recall(0), 1e-12);
        assertEquals(4.0 / 7, m.f1(0), 1e-12);
        // class 1: predicted 4 times (2 right), 3 actual -> P 1/2, R 2/3
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(2.0 / 3, m.recall(1), 1e-12);
        // class 2: predicted 3 times (2 right), 3 actual
        assertEquals(2.0 / 3, m.f1(2), 1e-12);
        assertEquals((4.0 / 7 + 4.0 / 7 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
        assertEquals((4.0 / 7 * 4 + 4.0 / 7 * 3 + 2.0 / 3 * 3) / 10, m.weightedF1(), 1e-12);
    }

    @Test
    void classNeverPredictedHasZeroPrecisionNotNaN() {
        ConfusionMatrix c = ConfusionMatrix.of(2, new int[]{0, 1}, new int[]{0, 0});
        assertEquals(0, c.precision(1));
        assertEquals(0, c.f1(1));
    }

    @Test
    void argmaxAndScores() {
        assertArrayEquals(new int[]{2, 0}, ConfusionMatrix.argmax(new float[]{0, 1, 3, 5, 5, 1}, 2, 3));
        assertEquals(1.0, ConfusionMatrix.fromScores(3, new float[]{0, 1, 3, 5, 5, 1}, new int[]{2, 0}).accuracy());
        assertThrows(IllegalArgumentException.class, () -> m.add(3, 0));
    }

    @Test
    void formatShowsEveryNumber() {
        String s = m.format(List.of("cat", "dog", "owl"));
        assertTrue(s.startsWith("accuracy: 0.6000 (6 of 10)"), s);
        assertTrue(s.contains("0 cat") && s.contains("2 owl"), s);
        assertTrue(s.contains("0.6667"), s);
        assertTrue(s.contains("macro avg") && s.contains("weighted avg"), s);
        assertTrue(s.lines().anyMatch(l -> l.matches("1 dog\\s+1\\s+2\\s+0")), s);
    }
}

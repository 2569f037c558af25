package dev.jgrad.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatsTest {

    @Test
    void oddCountMedianIsTheMiddleValueWhateverTheOrder() {
        Stats s = Stats.of(new double[]{5, 1, 4, 2, 3});
        assertEquals(3, s.median());
        assertEquals(1, s.min());
        assertEquals(5, s.max());
        assertEquals(5, s.repeats());
    }

    @Test
    void evenCountMedianIsTheMeanOfTheMiddleTwo() {
        Stats s = Stats.of(new double[]{10, 1, 7, 3});
        assertEquals(5, s.median());
        assertEquals(1, s.min());
        assertEquals(10, s.max());
    }

    @Test
    void oneSampleIsItsOwnMedianMinAndMax() {
        Stats s = Stats.of(new double[]{2.5});
        assertEquals(new Stats(2.5, 2.5, 2.5, 1), s);
    }

    @Test
    void doesNotReorderTheCallersArray() {
        double[] samples = {3, 1, 2};
        Stats.of(samples);
        assertEquals(3, samples[0]);
    }

    @Test
    void refusesNoSamples() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0]));
    }
}

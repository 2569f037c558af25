package dev.jgrad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Regression and multi-label metrics on cases worked by hand (the values scikit-learn gives for them). */
class TaskMetricsTest {
    @Test
    void regressionPerOutputAndOverall() {
        // output 0: targets 1,2,3, predictions 1,2,4: SSres 1, SStot 2 -> R2 0.5, MSE 1/3, MAE 1/3
        // output 1: targets 0,0,3, predictions 1,-1,3: SSres 2, SStot 6 -> R2 2/3, MSE 2/3, MAE 2/3
        RegressionMetrics m = RegressionMetrics.of(2, new float[] {1, 0, 2, 0, 3, 3}, new float[] {1, 1, 2, -1, 4, 3});
        assertEquals(3, m.count());
        assertEquals(1.0 / 3, m.mse(0), 1e-12);
        assertEquals(0.5, m.r2(0), 1e-12);
        assertEquals(2.0 / 3, m.mae(1), 1e-12);
        assertEquals(2.0 / 3, m.r2(1), 1e-12);
        assertEquals(0.5, m.mse(), 1e-12, "over all six values: 3/6");
        assertEquals(Math.sqrt(0.5), m.rmse(), 1e-12);
        assertEquals(0.5, m.mae(), 1e-12);
        assertEquals((0.5 + 2.0 / 3) / 2, m.r2(), 1e-12, "uniform average over outputs");
    }

    @Test
    void constantTargetsHaveR2OneOnlyWhenExact() {
        assertEquals(1, RegressionMetrics.of(1, new float[] {2, 2}, new float[] {2, 2}).r2());
        assertEquals(0, RegressionMetrics.of(1, new float[] {2, 2}, new float[] {2, 3}).r2());
    }

    @Test
    void multiLabelF1ExactMatchAndHamming() {
        MultiLabelMetrics m = new MultiLabelMetrics(2);
        // rows (actual | logits): [1,0 | +,-] exact; [1,1 | +,-] misses label 1; [0,1 | +,+] false positive on label 0
        m.addLogits(new float[] {1, 0, 1, 1, 0, 1}, new float[] {2, -1, 0.5f, -3, 1, 4}, 3);
        // label 0: tp 2, fp 1, fn 0 -> P 2/3, R 1, F1 0.8; label 1: tp 1, fp 0, fn 1 -> F1 2/3
        assertEquals(0.8, m.f1(0), 1e-12);
        assertEquals(2.0 / 3, m.f1(1), 1e-12);
        assertEquals((0.8 + 2.0 / 3) / 2, m.macroF1(), 1e-12);
        assertEquals(2.0 * 3 / (2 * 3 + 1 + 1), m.microF1(), 1e-12);
        assertEquals(1.0 / 3, m.exactMatch(), 1e-12);
        assertEquals(4.0 / 6, m.hammingAccuracy(), 1e-12);
    }
}

package dev.jgrad.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {
    private static final String CNN = "conv(32,3)-relu-maxpool(2)-conv(64,3)-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)";

    @Test
    void buildsTheIssueExampleCnnWithShapesWorkedOut() {
        Sequential net = ModelSpec.parse(CNN, "relu").build(new int[]{1, 28, 28}, 10);
        List<Module> l = net.layers();
        assertInstanceOf(Unflatten.class, l.get(0), "flat data rows become images first");
        Conv2d c1 = (Conv2d) l.get(1);
        assertEquals(1, c1.inChannels());
        assertEquals(32, c1.outChannels());
        assertEquals(Init.HE_UNIFORM, c1.init());
        Conv2d c2 = (Conv2d) l.get(4);
        assertEquals(32, c2.inChannels());
        Linear d1 = (Linear) l.get(8);
        assertEquals(64 * 5 * 5, d1.inFeatures(), "28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5");
        assertInstanceOf(Dropout.class, l.get(10));
        Linear out = (Linear) l.get(11);
        assertEquals(10, out.outFeatures());
        assertEquals(Init.XAVIER_UNIFORM, out.init());
    }

    @Test
    void paddingStrideBatchNormAndActivations() {
        Sequential net = ModelSpec.parse("conv(8,3,1,same)-bn-leaky_relu(0.2)-avgpool(2)-conv(4,3,2,1)-elu-flatten-dense(16)-bn-gelu-dense(3)",
                null).build(new int[]{3, 8, 8}, 3);
        List<Module> l = net.layers();
        assertEquals(1, ((Conv2d) l.get(1)).padding());
        assertInstanceOf(BatchNorm2d.class, l.get(2));
        assertEquals(0.2f, ((LeakyReLU) l.get(3)).param());
        assertInstanceOf(AvgPool2d.class, l.get(4));
        assertEquals(2, ((Conv2d) l.get(5)).stride());
        assertEquals(4 * 2 * 2, ((Linear) l.get(8)).inFeatures(), "8 -same-> 8 -pool-> 4 -conv3 s2 p1-> 2");
        assertInstanceOf(BatchNorm1d.class, l.get(9));
    }

    @Test
    void mlpFormUsesTheGivenActivation() {
        Sequential net = ModelSpec.parse("mlp:32,16", "tanh").build(new int[]{64}, 10);
        assertEquals("linear(64->32) -> tanh -> linear(32->16) -> tanh -> linear(16->10)", net.describe());
        assertEquals("linear(784->10)", ModelSpec.parse("mlp", "relu").build(new int[]{1, 28, 28}, 10).describe());
        assertEquals("linear(64->8) -> relu -> linear(8->4)", ModelSpec.parse("dense(8)-relu-dense(4)", null).build(new int[]{64}, 4).describe());
    }

    @Test
    void errorsPointAtTheBadToken() {
        assertError("conv(32,3)-relu-maxpol(2)-flatten-dense(10)", 16, "maxpol(2)", "unknown layer");
        assertError("conv(32)-relu-flatten-dense(10)", 0, "conv(32)", "2 to 4 argument");
        assertError("conv(32,3)-relu--flatten-dense(10)", 16, "", "empty layer");
        assertError("conv(32,x)-flatten-dense(10)", 0, "conv(32,x)", "positive integer");
        assertError("conv(32,3)-dropout(1.5)-flatten-dense(10)", 11, "dropout(1.5)", "[0, 1)");
        assertError("conv(32,3)-relu-dense(10)", 16, "dense(10)", "put flatten before it");
        assertError("dense(64)-relu-conv(8,3)-flatten-dense(10)", 15, "conv(8,3)", "needs images");
        assertError("conv(32,3)-flatten-dense(12)", 19, "dense(12)", "needs 10");
        assertError("conv(8,30)-flatten-dense(10)", 0, "conv(8,30)", "does not fit");
        assertError("conv(8,3-flatten", 0, "conv(8,3-flatten", "missing ')'");
        assertError("mlp:64,zero", 7, "zero", "positive integer");
    }

    @Test
    void inputShapeIsInferredFromTheFeatureCount() {
        assertEquals(List.of(1, 28, 28), List.of(boxed(ModelSpec.parse(CNN, null).inputShapeFor(784))));
        assertEquals(List.of(3, 32, 32), List.of(boxed(ModelSpec.parse(CNN, null).inputShapeFor(3072))));
        assertEquals(List.of(784), List.of(boxed(ModelSpec.parse("mlp:10", null).inputShapeFor(784))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(CNN, null).inputShapeFor(100 * 3 + 1));
        assertTrue(e.getMessage().contains("needs square images"), e.getMessage());
    }

    private static Integer[] boxed(int[] a) {
        return java.util.Arrays.stream(a).boxed().toArray(Integer[]::new);
    }

    @Test
    void unknownActivationForMlpIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("mlp:8", "swish"));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
    }

    private static void assertError(String spec, int position, String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse(spec, "relu").build(new int[]{1, 28, 28}, 10), spec);
        String m = e.getMessage();
        assertTrue(m.contains("at position " + position + " ('" + text + "')"), m);
        assertTrue(m.contains(problem), m);
        String[] lines = m.split("\n");
        assertEquals(position, lines[2].indexOf('^') - 2, "caret under the token: " + m);
    }
}

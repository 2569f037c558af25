package dev.jgrad.cli;

import dev.jgrad.nn.LayerType;
import dev.jgrad.nn.Layers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --help} lists the library's layer registry, so a layer added there is documented here. */
class TrainHelpTest {
    @Test
    void helpListsEveryRegisteredLayerWithItsDocAndTheActivations() {
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.exitCode(), help.err());
        for (LayerType t : Layers.all()) {
            assertTrue(help.out().contains("  " + t.usage()), t.usage() + " missing from:\n" + help.out());
            assertTrue(help.out().replaceAll("\\s+", " ").contains(t.doc()), t.doc() + " missing from:\n" + help.out());
        }
        assertTrue(help.out().replaceAll("\\s+", " ").contains("relu, leaky_relu, elu, gelu, sigmoid, tanh"), help.out());
        for (String line : help.out().split("\n")) assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
    }
}

package dev.jgrad.cli;

import dev.jgrad.nn.LayerType;
import dev.jgrad.nn.Layers;

import java.util.ListResourceBundle;
import java.util.stream.Collectors;

/**
 * The parts of {@code jgrad train --help} that come from the library's layer registry ({@link Layers}), so
 * a layer's name, arguments and doc are written only there. Picocli reads them as a resource bundle.
 */
public final class HelpTexts extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        String activations = Layers.activations().stream().map(LayerType::name).collect(Collectors.joining(", "));
        return new Object[][]{
                {"model", "mlp:H1,H2,... hidden layer sizes (default ${DEFAULT-VALUE}), or the layers listed below joined by '-', e.g. conv(32,3)-relu-maxpool(2)-flatten-dense(128)-relu-dense(10)."},
                {"activation", "Hidden activation of the mlp: form: " + activations + " (default ${DEFAULT-VALUE})."},
                {"usage.footerHeading", "%nLayers of --model (conv and dense layers are He-initialised before ReLU-like activations, Xavier otherwise):%n"},
                {"usage.footer", layerList()},
        };
    }

    /** One layer per line, its doc beside it where an 80-column terminal has room, else on the next line. */
    private static String layerList() {
        StringBuilder s = new StringBuilder();
        for (LayerType t : Layers.all()) {
            String usage = t.usage() + (t.aliases().isEmpty() ? "" : " (also " + String.join(", ", t.aliases()) + ")");
            String line = "  " + usage + " ".repeat(Math.max(2, 24 - usage.length())) + t.doc();
            s.append(line.length() <= 79 ? line : "  " + usage + "%n      " + t.doc()).append("%n");
        }
        return s.toString();
    }
}

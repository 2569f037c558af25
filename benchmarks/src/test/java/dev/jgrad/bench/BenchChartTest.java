package dev.jgrad.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchChartTest {

    @Test
    void svgIsWellFormedXmlWithAPanelPerSuiteAndTheDevices(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("bench.svg");
        BenchChart.write(SampleReports.mixed(), svg);
        assertTrue(Files.size(svg) > 1000);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // well-formedness only: the SVG 1.1 DTD it names is not fetched (no network in tests)
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("gemm: GFLOP/s"), text);
        assertTrue(text.contains("train: samples/s"), text);
        assertTrue(text.contains("opencl:0"), text);
        // the failed figure has no bar and is named instead
        assertTrue(text.contains("not timed"), text);
        assertEquals(2, BenchChart.charts(SampleReports.mixed()).size());
    }

    @Test
    void pngIsAPngImage(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("bench.png");
        BenchChart.write(SampleReports.mixed(), png);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G'};
        assertArrayEquals(magic, java.util.Arrays.copyOf(bytes, 4));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(720, image.getHeight());
    }

    @Test
    void otherExtensionsAreRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchChart.write(SampleReports.mixed(), dir.resolve("bench.jpg")));
        assertTrue(e.getMessage().contains("must end in .svg or .png"));
    }
}

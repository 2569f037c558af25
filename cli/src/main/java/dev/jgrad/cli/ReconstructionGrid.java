package dev.jgrad.cli;

import dev.jgrad.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --save-reconstructions}: a PNG of an autoencoder's inputs beside its outputs, for square grey images
 * (features = side², values in [0, 1], clamped). Each row holds {@value #PAIRS_PER_ROW} pairs, input left,
 * reconstruction right, each pixel drawn as {@value #SCALE}×{@value #SCALE}.
 */
final class ReconstructionGrid {
    static final int PAIRS_PER_ROW = 8;
    static final int MAX_PAIRS = 64;
    private static final int SCALE = 3;
    private static final int GAP = 6;

    private ReconstructionGrid() {}

    /** The image side of {@code features} values, or -1 when they are not a square image. */
    static int side(int features) {
        int s = (int) Math.round(Math.sqrt(features));
        return s * s == features ? s : -1;
    }

    /**
     * Writes the first {@code min(count, MAX_PAIRS)} examples of {@code inputs} and {@code outputs}
     * ([count, features] each) to {@code file} atomically; returns how many pairs it drew.
     */
    static int write(Path file, float[] inputs, float[] outputs, int count, int features) throws IOException {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png")) throw new Errors.UserInputException("--save-reconstructions " + file + ": the file must end in .png");
        int side = side(features);
        if (side < 0) {
            throw new Errors.UserInputException("--save-reconstructions: examples of " + features + " features are not square images");
        }
        int pairs = Math.min(count, MAX_PAIRS);
        int columns = Math.min(pairs, PAIRS_PER_ROW);
        int rows = (pairs + PAIRS_PER_ROW - 1) / PAIRS_PER_ROW;
        int cell = side * SCALE;
        int width = columns * (2 * cell + GAP) + GAP;
        int height = rows * (cell + GAP) + GAP;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) image.setRGB(x, y, 0xFFFFFF);
        for (int k = 0; k < pairs; k++) {
            int left = GAP + (k % PAIRS_PER_ROW) * (2 * cell + GAP);
            int top = GAP + (k / PAIRS_PER_ROW) * (cell + GAP);
            draw(image, inputs, k * features, side, left, top);
            draw(image, outputs, k * features, side, left + cell, top);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        AtomicFiles.write(file, out.toByteArray());
        return pairs;
    }

    private static void draw(BufferedImage image, float[] values, int offset, int side, int left, int top) {
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                float v = values[offset + r * side + c];
                int grey = 255 - Math.round(255 * Math.max(0f, Math.min(1f, Float.isNaN(v) ? 0f : v)));
                int rgb = grey << 16 | grey << 8 | grey;
                for (int dy = 0; dy < SCALE; dy++) for (int dx = 0; dx < SCALE; dx++) image.setRGB(left + c * SCALE + dx, top + r * SCALE + dy, rgb);
            }
        }
    }
}

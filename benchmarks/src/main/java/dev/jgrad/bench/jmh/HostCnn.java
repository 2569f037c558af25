package dev.jgrad.bench.jmh;

import dev.jgrad.spi.Philox;

/**
 * One training step's loss and gradients of the README's CNN, by plain loops in double precision:
 * conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)-flatten-dense(128)-relu-
 * dropout(p)-dense(10), softmax cross-entropy averaged over the batch, batch norm on batch statistics.
 * The dropout mask is drawn from the same Philox stream the devices use (seed, offset). The reference the
 * CNN benchmarks check the device against before they time it.
 */
final class HostCnn {
    /** Parameters in the model's order: conv1 w, b, bn1 gamma, beta, conv2 w, b, bn2 gamma, beta, fc1 w, b, fc2 w, b. */
    final double[][] grads = new double[12][];
    /**
     * For the two convolution biases, the sums of |term| of each gradient entry. Batch norm right after the
     * convolution makes their true gradients zero (the sums cancel), so they can only be checked to float32's
     * summation bound, eps times these.
     */
    final double[][] absSums = new double[12][];
    final double loss;

    HostCnn(double[][] p, float[] x, float[] labels, int n, long dropoutSeed, long dropoutOffset, float dropoutP) {
        double[] in = new double[x.length];
        for (int i = 0; i < x.length; i++) in[i] = x[i];
        // forward
        double[] z1 = conv(in, p[0], p[1], n, 1, 28, 28, 32);                 // [n, 32, 26, 26]
        Bn bn1 = new Bn(z1, p[2], p[3], n, 32, 26 * 26);
        double[] r1 = relu(bn1.y);
        int[] a1 = new int[n * 32 * 13 * 13];
        double[] m1 = maxPool(r1, n * 32, 26, 26, a1);                       // [n, 32, 13, 13]
        double[] z2 = conv(m1, p[4], p[5], n, 32, 13, 13, 64);                // [n, 64, 11, 11]
        Bn bn2 = new Bn(z2, p[6], p[7], n, 64, 11 * 11);
        double[] r2 = relu(bn2.y);
        int[] a2 = new int[n * 64 * 5 * 5];
        double[] m2 = maxPool(r2, n * 64, 11, 11, a2);                       // [n, 1600]
        double[] h1 = relu(dense(m2, p[8], p[9], n, 1600, 128));
        double[] mask = new double[n * 128];
        float keep = 1f / (1f - dropoutP);
        for (int i = 0; i < mask.length; i++) mask[i] = Philox.uniform(dropoutSeed, dropoutOffset + i) >= dropoutP ? keep : 0;
        double[] d1 = new double[h1.length];
        for (int i = 0; i < d1.length; i++) d1[i] = h1[i] * mask[i];
        double[] logits = dense(d1, p[10], p[11], n, 128, 10);
        double total = 0;
        double[] gLogits = new double[n * 10];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < 10; c++) max = Math.max(max, logits[r * 10 + c]);
            for (int c = 0; c < 10; c++) sum += Math.exp(logits[r * 10 + c] - max);
            int label = (int) labels[r];
            total += Math.log(sum) + max - logits[r * 10 + label];
            for (int c = 0; c < 10; c++) gLogits[r * 10 + c] = (Math.exp(logits[r * 10 + c] - max) / sum - (c == label ? 1 : 0)) / n;
        }
        loss = total / n;
        // backward
        grads[10] = TrainingStepBenchmark.HostMlp.weightGrad(gLogits, d1, n, 10, 128);
        grads[11] = TrainingStepBenchmark.HostMlp.biasGrad(gLogits, n, 10);
        double[] gh1 = TrainingStepBenchmark.HostMlp.inputGrad(gLogits, p[10], n, 10, 128);
        for (int i = 0; i < gh1.length; i++) gh1[i] *= h1[i] > 0 ? mask[i] : 0;
        grads[8] = TrainingStepBenchmark.HostMlp.weightGrad(gh1, m2, n, 128, 1600);
        grads[9] = TrainingStepBenchmark.HostMlp.biasGrad(gh1, n, 128);
        double[] gm2 = TrainingStepBenchmark.HostMlp.inputGrad(gh1, p[8], n, 128, 1600);
        double[] gz2 = bn2.backward(reluBack(unpool(gm2, a2, n * 64, 11 * 11), r2));
        grads[6] = bn2.gGamma;
        grads[7] = bn2.gBeta;
        double[] gm1 = new double[m1.length];
        grads[4] = new double[p[4].length];
        grads[5] = new double[64];
        convBackward(m1, p[4], gz2, n, 32, 13, 13, 64, gm1, grads[4], grads[5]);
        absSums[5] = channelAbsSums(gz2, n, 64, 11 * 11);
        double[] gz1 = bn1.backward(reluBack(unpool(gm1, a1, n * 32, 26 * 26), r1));
        grads[2] = bn1.gGamma;
        grads[3] = bn1.gBeta;
        grads[0] = new double[p[0].length];
        grads[1] = new double[32];
        convBackward(in, p[0], gz1, n, 1, 28, 28, 32, null, grads[0], grads[1]);
        absSums[1] = channelAbsSums(gz1, n, 32, 26 * 26);
    }

    private static double[] channelAbsSums(double[] g, int n, int c, int inner) {
        double[] out = new double[c];
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < inner; i++) out[ch] += Math.abs(g[(b * c + ch) * inner + i]);
        return out;
    }

    /** A valid (no padding, stride 1) 3x3 convolution of x [n, c, h, w] with w [f, c, 3, 3] plus bias. */
    static double[] conv(double[] x, double[] w, double[] b, int n, int c, int h, int wd, int f) {
        int oh = h - 2, ow = wd - 2;
        double[] y = new double[n * f * oh * ow];
        for (int bi = 0; bi < n; bi++)
            for (int o = 0; o < f; o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double s = b[o];
                        for (int ci = 0; ci < c; ci++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++) {
                                    s += x[((bi * c + ci) * h + oy + ky) * wd + ox + kx] * w[((o * c + ci) * 3 + ky) * 3 + kx];
                                }
                        y[((bi * f + o) * oh + oy) * ow + ox] = s;
                    }
        return y;
    }

    /** The gradients of {@link #conv}: gx (if not null), gw and gb, from gy. */
    static void convBackward(double[] x, double[] w, double[] gy, int n, int c, int h, int wd, int f,
                             double[] gx, double[] gw, double[] gb) {
        int oh = h - 2, ow = wd - 2;
        for (int bi = 0; bi < n; bi++)
            for (int o = 0; o < f; o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double g = gy[((bi * f + o) * oh + oy) * ow + ox];
                        gb[o] += g;
                        for (int ci = 0; ci < c; ci++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++) {
                                    int xi = ((bi * c + ci) * h + oy + ky) * wd + ox + kx;
                                    int wi = ((o * c + ci) * 3 + ky) * 3 + kx;
                                    gw[wi] += g * x[xi];
                                    if (gx != null) gx[xi] += g * w[wi];
                                }
                    }
    }

    /** Batch normalisation on batch statistics (biased variance, eps 1e-5), with its backward pass. */
    private static final class Bn {
        final double[] y, xhat, invStd, gamma;
        final int n, c, inner;
        double[] gGamma, gBeta;

        Bn(double[] x, double[] gamma, double[] beta, int n, int c, int inner) {
            this.n = n;
            this.c = c;
            this.inner = inner;
            this.gamma = gamma;
            y = new double[x.length];
            xhat = new double[x.length];
            invStd = new double[c];
            int m = n * inner;
            for (int ch = 0; ch < c; ch++) {
                double s = 0, q = 0;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) s += x[(b * c + ch) * inner + i];
                double mu = s / m;
                for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) q += Math.pow(x[(b * c + ch) * inner + i] - mu, 2);
                invStd[ch] = 1 / Math.sqrt(q / m + 1e-5);
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < inner; i++) {
                        int at = (b * c + ch) * inner + i;
                        xhat[at] = (x[at] - mu) * invStd[ch];
                        y[at] = gamma[ch] * xhat[at] + beta[ch];
                    }
            }
        }

        double[] backward(double[] gy) {
            double[] gx = new double[gy.length];
            gGamma = new double[c];
            gBeta = new double[c];
            int m = n * inner;
            for (int ch = 0; ch < c; ch++) {
                double sg = 0, sgx = 0;
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < inner; i++) {
                        int at = (b * c + ch) * inner + i;
                        sg += gy[at];
                        sgx += gy[at] * xhat[at];
                    }
                gGamma[ch] = sgx;
                gBeta[ch] = sg;
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < inner; i++) {
                        int at = (b * c + ch) * inner + i;
                        gx[at] = gamma[ch] * invStd[ch] * (gy[at] - sg / m - xhat[at] * sgx / m);
                    }
            }
            return gx;
        }
    }

    private static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0);
        return y;
    }

    /** g * relu'(from its output y). */
    private static double[] reluBack(double[] g, double[] y) {
        for (int i = 0; i < g.length; i++) if (y[i] <= 0) g[i] = 0;
        return g;
    }

    /** 2x2 max pooling, stride 2, of planes [h, w] (odd sizes drop the last row and column); argmax into at. */
    private static double[] maxPool(double[] x, int planes, int h, int w, int[] at) {
        int oh = h / 2, ow = w / 2;
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    int best = p * h * w + 2 * oy * w + 2 * ox;
                    for (int ky = 0; ky < 2; ky++)
                        for (int kx = 0; kx < 2; kx++) {
                            int i = p * h * w + (2 * oy + ky) * w + 2 * ox + kx;
                            if (x[i] > x[best]) best = i;
                        }
                    int o = (p * oh + oy) * ow + ox;
                    y[o] = x[best];
                    at[o] = best;
                }
        return y;
    }

    private static double[] unpool(double[] gy, int[] at, int planes, int planeSize) {
        double[] gx = new double[planes * planeSize];
        for (int o = 0; o < gy.length; o++) gx[at[o]] += gy[o];
        return gx;
    }

    private static double[] dense(double[] x, double[] w, double[] b, int rows, int in, int out) {
        return TrainingStepBenchmark.HostMlp.dense(x, w, b, rows, in, out);
    }
}

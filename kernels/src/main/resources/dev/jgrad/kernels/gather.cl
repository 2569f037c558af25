/* Row gather for a training set kept on the device: dst[r, c] = src[idx[r], c] for r < rows, c < cols,
 * n = rows*cols. One work-item per element of dst, so neighbouring work-items copy neighbouring floats of
 * one row (coalesced reads and writes whatever cols is). idx holds row numbers as floats, exact below 2^24
 * (Device.GATHER_MAX_ROWS). A kernel cannot report an error: an index that is not a whole number in
 * [0, srcRows) turns its row of dst into NaN instead of reading outside src. */
KERNEL jg_gather_rows(int n, int cols, int srcRows, GLOBAL const float* RESTRICT src,
                      GLOBAL const float* RESTRICT idx, GLOBAL float* RESTRICT dst) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    int r = i / cols;
    float f = idx[r];
    /* the range test comes first: converting a float outside int's range is undefined */
    if (!(f >= 0.0f && f < (float) srcRows)) {
        dst[i] = NAN;
        return;
    }
    int row = (int) f;
    dst[i] = (float) row == f ? src[row * cols + (i - r * cols)] : NAN;
}

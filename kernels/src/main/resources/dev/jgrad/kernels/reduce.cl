/* Sums over the middle axis of an [outer, r, inner] view. Each output is summed in a fixed order, so
 * results do not change from run to run. */

#ifndef ROW_GROUP
#define ROW_GROUP 128
#endif

/* inner == 1: one work-group of ROW_GROUP per output row o, each work-item striding over the row. */
KERNEL jg_reduce_rows(int r, GLOBAL const float* x, GLOBAL float* out, float scale, int accumulate) {
    LOCAL_MEM float scratch[ROW_GROUP];
    int o = GROUP_ID(0);
    GLOBAL const float* row = x + (long) o * r;
    float s = 0.0f;
    for (int j = LOCAL_ID(0); j < r; j += ROW_GROUP) s += row[j];
    s = jg_group_sum(scratch, s) * scale;
    if (LOCAL_ID(0) == 0) out[o] = accumulate ? out[o] + s : s;
}

/* inner > 1: one work-item per output (o, i) walking down its column; reads are coalesced across i. */
KERNEL jg_reduce_columns(int outer, int r, int inner, GLOBAL const float* x, GLOBAL float* out, float scale,
                         int accumulate) {
    int idx = GLOBAL_ID(0);
    if (idx >= outer * inner) return;
    int o = idx / inner;
    int i = idx % inner;
    GLOBAL const float* col = x + (long) o * r * inner + i;
    float s = 0.0f;
    for (int j = 0; j < r; j++) s += col[(long) j * inner];
    s *= scale;
    out[idx] = accumulate ? out[idx] + s : s;
}

/* The C baseline for scripts/mcu-run.sh: plain C dense loops, the code a C
 * programmer would write for the same model, built with arm-none-eabi-gcc -O2
 * (riscv64-unknown-elf-gcc -O2 on RISC-V) and run in the same emulator on the
 * same weights and inputs as the Swift firmware.
 *
 * It reads the FixedNet blob in flash (Float32 layers only), copies each
 * layer's weights once, transposed to W[out][in] so that every output is one
 * contiguous dot product (the textbook loop, as ../shared/peers/infer/c_naive.c),
 * then times predictions with newlib's expf/tanhf. Sizes are runtime values, as
 * in a general-purpose library. Prints the same lines as the firmware. */
#include <math.h>
#include "baseline.h"

#define MAX_LAYERS 8
#define MAX_WEIGHTS 2560 /* the bundled models need at most 2368; an M0 has 16 KB of RAM */
#define MAX_WIDTH 64

typedef struct { int nin, nout, act; float *W; const float *b; } Layer;
static Layer layers[MAX_LAYERS];
static int layer_count, input_count, output_count;
static const float *mean, *stdev;
static float weights[MAX_WEIGHTS];
static float h0[MAX_WIDTH], h1[MAX_WIDTH];

static int load(const uint8_t *blob) {
    if (u32(blob) != 0x31424E46u || (u32(blob + 4) & 0xFFFF) != 2) return 0;
    layer_count = (int)u32(blob + 28); input_count = (int)u32(blob + 32); output_count = (int)u32(blob + 36);
    if (layer_count > MAX_LAYERS) return 0;
    uint32_t norm = u32(blob + 56);
    mean = norm ? (const float *)(blob + norm) : 0;
    stdev = norm ? mean + input_count : 0;
    float *next = weights;
    for (int l = 0; l < layer_count; l++) {
        const uint8_t *r = blob + 128 + 32 * l;
        Layer *L = &layers[l];
        L->nin = (int)u32(r); L->nout = (int)u32(r + 4); L->act = r[12];
        int padded = (int)u32(r + 8);
        if (r[14] != 1 || L->nout > MAX_WIDTH || next + L->nin * L->nout > weights + MAX_WEIGHTS) return 0;
        const float *w = (const float *)(blob + u32(r + 20));
        L->W = next;
        for (int o = 0; o < L->nout; o++)
            for (int i = 0; i < L->nin; i++) next[o * L->nin + i] = w[i * padded + o];
        next += L->nin * L->nout;
        L->b = w + L->nin * padded;
    }
    return 1;
}

static float activate(int act, float x) {
    switch (act) {
    case 2: return 1.0f / (1.0f + expf(-x));
    case 3: return tanhf(x);
    case 4: return x > 0.0f ? x : 0.0f;
    default: return x;
    }
}

static void dense(const Layer *L, const float *x, float *y) {
    for (int o = 0; o < L->nout; o++) {
        const float *w = L->W + o * L->nin;
        float s = L->b[o];
        for (int i = 0; i < L->nin; i++) s += w[i] * x[i];
        y[o] = s;
    }
    if (L->act == 13) {
        float m = y[0], sum = 0.0f;
        for (int o = 1; o < L->nout; o++) if (y[o] > m) m = y[o];
        for (int o = 0; o < L->nout; o++) { y[o] = expf(y[o] - m); sum += y[o]; }
        for (int o = 0; o < L->nout; o++) y[o] /= sum;
    } else {
        for (int o = 0; o < L->nout; o++) y[o] = activate(L->act, y[o]);
    }
}

static void predict(const float *x, float *out) {
    float *bufs[2] = {h0, h1};
    const float *in = x;
    if (mean) { for (int i = 0; i < input_count; i++) h1[i] = (x[i] - mean[i]) / stdev[i]; in = h1; }
    for (int l = 0; l < layer_count; l++) {
        float *y = l == layer_count - 1 ? out : bufs[l & 1];
        dense(&layers[l], in, y);
        in = y;
    }
}

int firmware_main(void) {
    size_t n;
    const uint8_t *blob = board_blob(&n);
    if (!load(blob)) { out_text("error the C baseline reads version-2 Float32 blobs of at most 8 layers\n"); return 1; }
    out_text("model C baseline\n");
    float *io = board_io(&n);
    float *x = io, *y = io + input_count;
    int rows = (int)u32(blob + 64) + 8;
    for (int k = 0; k < rows; k++) {
        fill(x, k, blob, input_count, output_count);
        predict(x, y);
        out_text("out "); out_u64((uint64_t)k);
        for (int j = 0; j < output_count; j++) out_bits(y[j]);
        out_text("\n");
    }
    TIME_PREDICTIONS(x, blob, input_count, output_count, predict(x, y));
    return 0;
}

/* emlearn's eml_net as a peer for scripts/mcu-run.sh --emlearn: the header that
 * gen_emlearn.py generates (weights in flash, as emlearn lays them out), called
 * through eml_net_predict_proba on the firmware's fixed inputs after the blob's
 * stored standardisation. Built with arm-none-eabi-gcc -O2, newlib's expf. */
#include <math.h>
#include "baseline.h"
#include "digits_net.h"

#define MAX_INPUTS 64
static float standardized[MAX_INPUTS];

static void predict(const uint8_t *blob, int n, int k, const float *x, float *y) {
    const float *stats = (const float *)(blob + u32(blob + 56));
    for (int i = 0; i < n; i++) standardized[i] = (x[i] - stats[i]) / stats[n + i];
    eml_net_predict_proba(&digits_net, standardized, n, y, k);
}

int firmware_main(void) {
    size_t count;
    const uint8_t *blob = board_blob(&count);
    int n = (int)u32(blob + 32), k = (int)u32(blob + 36);
    if (n > MAX_INPUTS || u32(blob + 56) == 0) { out_text("error emlearn peer: at most 64 inputs, stored normalisation\n"); return 1; }
    out_text("model emlearn eml_net\n");
    float *io = board_io(&count), *x = io, *y = io + n;
    int rows = (int)u32(blob + 64) + 8;
    for (int r = 0; r < rows; r++) {
        fill(x, r, blob, n, k);
        predict(blob, n, k, x, y);
        out_text("out "); out_u64((uint64_t)r);
        for (int j = 0; j < k; j++) out_bits(y[j]);
        out_text("\n");
    }
    TIME_PREDICTIONS(x, blob, n, k, predict(blob, n, k, x, y));
    return 0;
}

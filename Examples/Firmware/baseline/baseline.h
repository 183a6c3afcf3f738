/* What the C peers of scripts/mcu-run.sh share: the board functions, output in
 * the firmware's line format, the blob's header fields, and the firmware's
 * fixed inputs (Firmware.swift, IOBuffer.fill), so that every peer predicts the
 * same rows. Header-only: each peer is one translation unit. */
#ifndef FIXEDNET_BASELINE_H
#define FIXEDNET_BASELINE_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void board_write(const uint8_t *bytes, size_t count);
uint64_t board_instructions(void);
const void *board_blob(size_t *count);
float *board_io(size_t *count);

/* newlib's libm sets errno through this hook; the baseline never reads it. */
int *__errno(void) { static int e; return &e; }

static inline uint32_t u32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static inline void out_text(const char *s) { board_write((const uint8_t *)s, strlen(s)); }
static inline void out_u64(uint64_t v) { char b[24]; int n = 0; do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v); while (n) board_write((const uint8_t *)&b[--n], 1); }
static inline void out_bits(float f) {
    uint32_t v; memcpy(&v, &f, 4);
    char b[11] = {' ', '0', 'x'};
    for (int i = 0; i < 8; i++) { int d = (v >> (28 - 4 * i)) & 15; b[3 + i] = (char)(d < 10 ? '0' + d : 'a' + d - 10); }
    board_write((const uint8_t *)b, 11);
}

/* The firmware's fixed inputs (Firmware.swift, IOBuffer.fill). */
static inline void fill(float *x, int k, const uint8_t *blob, int input_count, int output_count) {
    int golden = (int)u32(blob + 64);
    if (k < golden) {
        const float *g = (const float *)(blob + u32(blob + 60) + (size_t)k * (4 * input_count + 8 * output_count));
        for (int i = 0; i < input_count; i++) x[i] = g[i];
        return;
    }
    uint32_t s = (uint32_t)k * 2654435761u | 1u;
    for (int i = 0; i < input_count; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        x[i] = (float)((int32_t)(s >> 20) - 2048) / 256.0f;
    }
}

/* Times 100 predictions of row 0 and prints the firmware's closing lines. */
#define TIME_PREDICTIONS(x, blob, input_count, output_count, predict_call) do { \
    fill((x), 0, (blob), (input_count), (output_count)); \
    uint64_t t0_ = board_instructions(); \
    for (int r_ = 0; r_ < 100; r_++) { predict_call; } \
    uint64_t spent_ = board_instructions() - t0_; \
    out_text("predict instructions "); out_u64(spent_ / 100); out_text(" runs 100\ndone\n"); \
} while (0)
#endif

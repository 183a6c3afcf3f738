/* The host board for scripts/mcu-run.sh: the same firmware (Firmware.swift),
 * built for this machine, reads the blob from a file and prints the same
 * lines. Its `out` lines are what every emulated core must reproduce bit for
 * bit. It predicts through the host's SIMD kernels, so the comparison also
 * checks the microcontroller kernel against the SIMD path.
 *   host-firmware BLOB */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int firmware_main(void);

static uint8_t *blob;
static size_t blob_count;
static float workspace[1 << 16] __attribute__((aligned(64)));
static float io[1 << 14] __attribute__((aligned(64)));

void board_write(const uint8_t *bytes, size_t count) { fwrite(bytes, 1, count, stdout); }
uint64_t board_instructions(void) { return 0; }
uint32_t board_instructions_per_tick_x1024(void) { return 0; }
const void *board_blob(size_t *count) { *count = blob_count; return blob; }
void *board_workspace(size_t *count) { *count = sizeof workspace; return workspace; }
float *board_io(size_t *count) { *count = sizeof io / sizeof io[0]; return io; }
size_t board_stack_untouched(void) { return 0; }
void board_stack_mark(void) {}
size_t board_stack_used_since_mark(void) { return 0; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: host-firmware BLOB\n"); return 64; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 66; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    blob = aligned_alloc(64, ((size_t)n + 63) / 64 * 64);
    if (!blob || fread(blob, 1, (size_t)n, f) != (size_t)n) { perror(argv[1]); return 66; }
    fclose(f);
    blob_count = (size_t)n;
    return firmware_main();
}

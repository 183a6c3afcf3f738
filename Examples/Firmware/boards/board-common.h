/* What every board file shares (included by arm-startup.c and riscv-startup.c
 * after they define board_write, board_exit and BOARD_READ_SP): the memory the
 * firmware owns, the painted stack, and what compiled Swift and C expect of a C
 * library. Nothing here allocates. */
#ifndef FIXEDNET_BOARD_COMMON_H
#define FIXEDNET_BOARD_COMMON_H
#include <stddef.h>
#include <stdint.h>

#define STACK_PAINT 0xA5A5A5A5u

/* ---- memory the firmware owns: blob in flash, workspace and I/O rows ---- */
#ifndef FW_WORKSPACE_BYTES
#define FW_WORKSPACE_BYTES 512
#endif
#ifndef FW_IO_FLOATS
#define FW_IO_FLOATS 80
#endif
static float workspace[FW_WORKSPACE_BYTES / 4] __attribute__((aligned(16)));
static float io[FW_IO_FLOATS] __attribute__((aligned(16)));

const void *board_blob(size_t *count) { *count = (size_t)(fw_blob_end - fw_blob_start); return fw_blob_start; }
void *board_workspace(size_t *count) { *count = sizeof workspace; return workspace; }
float *board_io(size_t *count) { *count = FW_IO_FLOATS; return io; }

/* Reset's memory work, before anything reads a global: copy .data from flash,
 * zero .bss, paint the stack below the current frame (leaving 64 bytes for
 * it). Always inlined, so "the current frame" is the reset handler's. */
__attribute__((always_inline)) static inline void board_prepare_memory(void) {
    for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
    for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
    uint32_t *sp;
    BOARD_READ_SP(sp);
    for (uint32_t *p = __stack_limit; p < sp - 16; p++) *p = STACK_PAINT;
}

/* The painted stack: bytes below the lowest word ever written, since reset. */
size_t board_stack_untouched(void) {
    const uint32_t *p = __stack_limit;
    while (p < __stack_top && *p == STACK_PAINT) p++;
    return (size_t)((const uint8_t *)p - (const uint8_t *)__stack_limit);
}

/* Repaints the stack below the caller's frame; board_stack_used_since_mark
 * then tells how deep the calls made in between went below that point. */
static uint32_t *stack_mark;
__attribute__((noinline)) void board_stack_mark(void) {
    uint32_t *sp;
    BOARD_READ_SP(sp);
    stack_mark = sp;
    for (uint32_t *p = __stack_limit; p < sp - 8; p++) *p = STACK_PAINT;
}

size_t board_stack_used_since_mark(void) {
    const uint32_t *p = __stack_limit;
    while (p < stack_mark && *p == STACK_PAINT) p++;
    return (size_t)((const uint8_t *)stack_mark - (const uint8_t *)p);
}

/* ---- what compiled Swift and C expect of a C library ---- */
void *memset(void *d, int c, size_t n) { uint8_t *p = d; while (n--) *p++ = (uint8_t)c; return d; }
void *memcpy(void *restrict d, const void *restrict s, size_t n) {
    uint8_t *p = d; const uint8_t *q = s; while (n--) *p++ = *q++; return d;
}
void *memmove(void *d, const void *s, size_t n) {
    uint8_t *p = d; const uint8_t *q = s;
    if (p < q) { while (n--) *p++ = *q++; } else { while (n--) p[n] = q[n]; }
    return d;
}
#if defined(__arm__)
/* The Arm run-time ABI's names for the same functions. */
void __aeabi_memclr(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr4(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr8(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memset(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memset4(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memcpy(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memcpy4(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memcpy8(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memmove(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove4(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove8(void *d, const void *s, size_t n) { memmove(d, s, n); }
#endif
uintptr_t __stack_chk_guard = 0x2a7b9c4du;
void __stack_chk_fail(void) { static const char m[] = "error stack smashed\n"; board_write((const uint8_t *)m, sizeof m - 1); board_exit(70); }
void abort(void) { static const char m[] = "error abort (a Swift precondition failed)\n"; board_write((const uint8_t *)m, sizeof m - 1); board_exit(71); }

#endif

/* Startup and board services for a 32-bit RISC-V core (rv32imafc) under
 * QEMU's `virt` machine; copy it for a real board and replace the console
 * (the virt machine's NS16550 UART here) and the exit (its SiFive test device).
 *
 * Reset (_start): set the stack pointer and gp, enable the FPU (mstatus.FS),
 * copy .data from flash, zero .bss, paint the stack, run firmware_main, exit
 * with its status. No heap: nothing here or in the firmware defines or calls
 * malloc. */
#include <stddef.h>
#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_limit[], __stack_top[];
extern const uint8_t fw_blob_start[], fw_blob_end[];
int firmware_main(void);

#define STACK_PAINT 0xA5A5A5A5u
#define UART_THR (*(volatile uint8_t *)0x10000000)
#define UART_LSR (*(volatile uint8_t *)0x10000005)
#define TEST_DEVICE (*(volatile uint32_t *)0x00100000)

void board_write(const uint8_t *bytes, size_t count) {
    for (size_t i = 0; i < count; i++) {
        while ((UART_LSR & 0x20) == 0) {}
        UART_THR = bytes[i];
    }
}

static void board_exit(int status) {
    /* SiFive test device: 0x5555 = pass; (code << 16) | 0x3333 = fail with code. */
    TEST_DEVICE = status == 0 ? 0x5555u : ((uint32_t)status << 16) | 0x3333u;
    for (;;) {}
}

/* minstret counts retired instructions; under QEMU -icount it is exact. */
uint64_t board_instructions(void) {
    uint32_t hi, lo, again;
    do {
        __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
        __asm__ volatile("csrr %0, minstret" : "=r"(lo));
        __asm__ volatile("csrr %0, minstreth" : "=r"(again));
    } while (hi != again);
    return ((uint64_t)hi << 32) | lo;
}

uint32_t board_instructions_per_tick_x1024(void) { return 1024; }

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

size_t board_stack_untouched(void) {
    const uint32_t *p = __stack_limit;
    while (p < __stack_top && *p == STACK_PAINT) p++;
    return (size_t)((const uint8_t *)p - (const uint8_t *)__stack_limit);
}

static uint32_t *stack_mark;
__attribute__((noinline)) void board_stack_mark(void) {
    uint32_t *sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    stack_mark = sp;
    for (uint32_t *p = __stack_limit; p < sp - 8; p++) *p = STACK_PAINT;
}

size_t board_stack_used_since_mark(void) {
    const uint32_t *p = __stack_limit;
    while (p < stack_mark && *p == STACK_PAINT) p++;
    return (size_t)((const uint8_t *)stack_mark - (const uint8_t *)p);
}

/* What compiled Swift and C expect of a C library. */
void *memset(void *d, int c, size_t n) { uint8_t *p = d; while (n--) *p++ = (uint8_t)c; return d; }
void *memcpy(void *restrict d, const void *restrict s, size_t n) {
    uint8_t *p = d; const uint8_t *q = s; while (n--) *p++ = *q++; return d;
}
void *memmove(void *d, const void *s, size_t n) {
    uint8_t *p = d; const uint8_t *q = s;
    if (p < q) { while (n--) *p++ = *q++; } else { while (n--) p[n] = q[n]; }
    return d;
}
uintptr_t __stack_chk_guard = 0x2a7b9c4du;
void __stack_chk_fail(void) { static const char m[] = "error stack smashed\n"; board_write((const uint8_t *)m, sizeof m - 1); board_exit(70); }
void abort(void) { static const char m[] = "error abort (a Swift precondition failed)\n"; board_write((const uint8_t *)m, sizeof m - 1); board_exit(71); }

void board_reset(void) {
    for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
    for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
    uint32_t *sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    for (uint32_t *p = __stack_limit; p < sp - 16; p++) *p = STACK_PAINT;
    board_exit(firmware_main());
}

__attribute__((naked, section(".text.start"))) void _start(void) {
    __asm__ volatile(
        ".option push\n.option norelax\n"
        "la gp, __global_pointer$\n"
        ".option pop\n"
        "la sp, __stack_top\n"
        "li t0, 0x2000\n"            /* mstatus.FS = Initial: enable the FPU */
        "csrs mstatus, t0\n"
        "csrw fcsr, zero\n"
        "j board_reset\n");
}

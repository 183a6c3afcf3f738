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

#define BOARD_READ_SP(v) __asm__ volatile("mv %0, sp" : "=r"(v))
#include "board-common.h"

void board_reset(void) {
    board_prepare_memory();
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

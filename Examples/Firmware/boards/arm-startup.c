/* Startup and board services for Arm Cortex-M (M0, M4F, M7) under QEMU's mps2
 * and microbit machines; copy it for a real board and replace the console
 * (semihosting here) and, if wanted, the instruction counter.
 *
 * Reset: copy .data from flash, zero .bss, paint the stack, enable the FPU
 * (when built for hard float), start SysTick, run firmware_main, exit through
 * semihosting with its status. No heap: nothing here or in the firmware
 * defines or calls malloc. */
#include <stddef.h>
#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_limit[], __stack_top[];
extern const uint8_t fw_blob_start[], fw_blob_end[];
int firmware_main(void);

/* ---- console and exit: Arm semihosting (bkpt 0xAB) ---- */
static int semihost(int op, const void *arg) {
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* SYS_WRITE0 prints a NUL-terminated string on the host's stdout. */
void board_write(const uint8_t *bytes, size_t count) {
    char chunk[65];
    while (count > 0) {
        size_t n = count < 64 ? count : 64;
        for (size_t i = 0; i < n; i++) chunk[i] = (char)bytes[i];
        chunk[n] = 0;
        semihost(0x04 /* SYS_WRITE0 */, chunk);
        bytes += n;
        count -= n;
    }
}

static void board_exit(int status) {
    uint32_t args[2] = {0x20026 /* ADP_Stopped_ApplicationExit */, (uint32_t)status};
    semihost(0x20 /* SYS_EXIT */, args);
    for (;;) {}
}

/* ---- instruction counter: SysTick under QEMU -icount shift=0 ----
 * With -icount shift=0 every instruction advances virtual time by 1 ns, and
 * SysTick counts the core clock, so ticks × (instructions per tick) counts
 * instructions. The ratio is measured at reset on a loop of known length
 * (calibrate) and printed; the resolution of one reading is one tick. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)
static volatile uint32_t systick_wraps;
static uint32_t instructions_per_tick_x1024;

void SysTick_Handler(void) { systick_wraps++; }

static uint64_t ticks(void) {
    uint32_t hi, cvr;
    do {
        hi = systick_wraps;
        cvr = SYST_CVR;
    } while (hi != systick_wraps);
    return ((uint64_t)hi << 24) + (0xFFFFFFu - cvr);
}

/* 2 instructions per iteration (subs, bne); the loop runs `n` times. */
static void known_loop(uint32_t n) {
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+l"(n) : : "cc");
}

static void calibrate(void) {
    const uint32_t n = 1u << 20;
    uint64_t t0 = ticks();
    known_loop(n);
    uint64_t t = ticks() - t0;
    instructions_per_tick_x1024 = t ? (uint32_t)(((uint64_t)2 * n * 1024 + t / 2) / t) : 0;
}

uint64_t board_instructions(void) { return ticks() * instructions_per_tick_x1024 / 1024; }

uint32_t board_instructions_per_tick_x1024(void) { return instructions_per_tick_x1024; }

#define BOARD_READ_SP(v) __asm__ volatile("mov %0, sp" : "=r"(v))
#include "board-common.h"

/* ---- reset and vectors ---- */
void Reset_Handler(void) {
    board_prepare_memory();
#if defined(__ARM_FP)
    /* CPACR: full access to CP10 and CP11 before the first float instruction. */
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    SYST_RVR = 0xFFFFFF;
    SYST_CVR = 0;
    SYST_CSR = 7; /* core clock, interrupt on wrap, enable */
    while (SYST_CVR == 0) {} /* the first reads after enabling are 0, before the reload */
    calibrate();
    board_exit(firmware_main());
}

static void Fault_Handler(void) { static const char m[] = "error hard fault\n"; board_write((const uint8_t *)m, sizeof m - 1); board_exit(72); }

__attribute__((section(".vectors"), used))
const void *const vector_table[16] = {
    __stack_top, Reset_Handler, Fault_Handler /* NMI */, Fault_Handler /* HardFault */,
    Fault_Handler, Fault_Handler, Fault_Handler, 0, 0, 0, 0, Fault_Handler /* SVC */,
    0, 0, Fault_Handler /* PendSV */, SysTick_Handler,
};

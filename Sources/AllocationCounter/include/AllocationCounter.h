#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H
/// Counts heap allocations made by the calling thread between `ac_begin()` and
/// `ac_end()`. The counter wraps malloc, calloc, realloc, memalign,
/// aligned_alloc and posix_memalign, forwarding to glibc's __libc_* entry points.
/// Used by tests and `fnc bench` to count (not assume) allocations per prediction.
void ac_begin(void);
/// Returns the number of allocations since `ac_begin()` on this thread, and disarms;
/// -1 where counting is unavailable (not glibc, or under a sanitizer).
long ac_end(void);
/// The same over every thread of the process (for multi-threaded paths).
void ac_begin_all(void);
long ac_end_all(void);
#endif

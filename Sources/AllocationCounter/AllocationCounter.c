// Interposes the glibc allocation entry points to count calls per thread.
// Linux/glibc only; elsewhere the counter is compiled out and reports -1.
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>   /* any libc header defines __GLIBC__ */
/* Sanitizers bring their own allocator; interposing malloc beside it would break
   both, so under ASan/TSan the counter reports -1 (unavailable). */
#if defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#    define AC_SANITIZED 1
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#  define AC_SANITIZED 1
#endif
#if defined(__linux__) && defined(__GLIBC__) && !defined(AC_SANITIZED)

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

#include <stdatomic.h>
static _Thread_local int armed = 0;
static _Thread_local long count = 0;
static atomic_int armedAll = 0;
static atomic_long countAll = 0;

void ac_begin(void) { count = 0; armed = 1; }
long ac_end(void) { armed = 0; return count; }
void ac_begin_all(void) { atomic_store(&countAll, 0); atomic_store(&armedAll, 1); }
long ac_end_all(void) { atomic_store(&armedAll, 0); return atomic_load(&countAll); }

static inline void counted(void) {
    if (armed) count++;
    if (atomic_load_explicit(&armedAll, memory_order_relaxed)) atomic_fetch_add_explicit(&countAll, 1, memory_order_relaxed);
}

void *malloc(size_t n) { counted(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { counted(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { counted(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t al, size_t n) { counted(); return __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { counted(); return __libc_memalign(al, n); }
int posix_memalign(void **out, size_t al, size_t n) {
    counted();
    void *p = __libc_memalign(al, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
#else
void ac_begin(void) {}
long ac_end(void) { return -1; }
void ac_begin_all(void) {}
long ac_end_all(void) { return -1; }
#endif

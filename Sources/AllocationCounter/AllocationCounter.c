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

static _Thread_local int armed = 0;
static _Thread_local long count = 0;

void ac_begin(void) { count = 0; armed = 1; }
long ac_end(void) { armed = 0; return count; }

void *malloc(size_t n) { if (armed) count++; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { if (armed) count++; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { if (armed) count++; return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t al, size_t n) { if (armed) count++; return __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { if (armed) count++; return __libc_memalign(al, n); }
int posix_memalign(void **out, size_t al, size_t n) {
    if (armed) count++;
    void *p = __libc_memalign(al, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
#else
void ac_begin(void) {}
long ac_end(void) { return -1; }
#endif

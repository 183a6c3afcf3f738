/* Compares the `out K 0x… …` lines of two firmware logs (scripts/mcu-run.sh).
 *   compare EXPECTED ACTUAL exact   every bit pattern equal
 *   compare EXPECTED ACTUAL TOL     max |Δ| ≤ TOL and the same argmax per row
 * Prints one verdict ("bit-identical, 16 rows", "max |Δ| 2.4e-08, argmax 16/16")
 * and exits 0 when it holds, 1 when not, 2 when a log is unreadable. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 64
#define MAX_OUT 1024

typedef struct { int rows, cols[MAX_ROWS]; float v[MAX_ROWS][MAX_OUT]; } Log;

static int read_log(const char *path, Log *log) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[65536];
    log->rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "out ", 4) != 0 || log->rows == MAX_ROWS) continue;
        char *p = line + 4;
        strtol(p, &p, 10);
        int n = 0;
        for (;;) {
            char *end;
            unsigned long bits = strtoul(p, &end, 16);
            if (end == p || n == MAX_OUT) break;
            uint32_t b = (uint32_t)bits;
            memcpy(&log->v[log->rows][n++], &b, 4);
            p = end;
        }
        log->cols[log->rows++] = n;
    }
    fclose(f);
    return 1;
}

static int argmax(const float *v, int n) { int best = 0; for (int i = 1; i < n; i++) if (v[i] > v[best]) best = i; return best; }

int main(int argc, char **argv) {
    static Log a, b;
    if (argc != 4 || !read_log(argv[1], &a) || !read_log(argv[2], &b)) { printf("unreadable log\n"); return 2; }
    if (a.rows == 0 || a.rows != b.rows) { printf("%d output rows, expected %d (see the log)\n", b.rows, a.rows); return 1; }
    int exact = strcmp(argv[3], "exact") == 0;
    double tol = exact ? 0 : atof(argv[3]), worst = 0;
    int same_bits = 1, same_class = 0;
    for (int r = 0; r < a.rows; r++) {
        if (a.cols[r] != b.cols[r]) { printf("row %d has %d outputs, expected %d\n", r, b.cols[r], a.cols[r]); return 1; }
        for (int j = 0; j < a.cols[r]; j++) {
            if (memcmp(&a.v[r][j], &b.v[r][j], 4) != 0) same_bits = 0;
            double d = fabs((double)a.v[r][j] - (double)b.v[r][j]);
            if (!(d <= worst)) worst = isnan(d) ? INFINITY : d;
        }
        same_class += argmax(a.v[r], a.cols[r]) == argmax(b.v[r], b.cols[r]);
    }
    if (same_bits) { printf("bit-identical, %d rows\n", a.rows); return 0; }
    printf("max |Δ| %.2g, argmax %d/%d\n", worst, same_class, a.rows);
    if (exact) return 1;
    return worst <= tol && same_class == a.rows ? 0 : 1;
}

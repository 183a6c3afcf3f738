// Generates the CSV benchmark file: ROWS rows of 32 features printed with %.6g
// and a class label 0-9 (the argmax of a fixed random linear map), with a header.
// Deterministic: the same ROWS give the same bytes.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <math.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;
static double next_unit(void) {   // splitmix64 → [0, 1)
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}
static double next_normal(void) {
    double u = next_unit(), v = next_unit();
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

int main(int argc, char **argv) {
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    enum { D = 32, K = 10 };
    double w[K][D];
    for (int k = 0; k < K; k++) for (int j = 0; j < D; j++) w[k][j] = next_normal();
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    for (int j = 0; j < D; j++) printf("f%d,", j);
    printf("label\n");
    for (long r = 0; r < rows; r++) {
        double x[D];
        for (int j = 0; j < D; j++) {
            x[j] = next_normal() * (j % 4 == 0 ? 100 : 1) + (j % 3);
            printf("%.6g,", x[j]);
        }
        int best = 0; double bv = -1e300;
        for (int k = 0; k < K; k++) {
            double s = 0;
            for (int j = 0; j < D; j++) s += w[k][j] * (j % 4 == 0 ? x[j] / 100 : x[j] - (j % 3));
            if (s > bv) { bv = s; best = k; }
        }
        printf("%d\n", best);
    }
    return 0;
}

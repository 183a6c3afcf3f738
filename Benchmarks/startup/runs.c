// Times a command from fork to exit, RUNS times: prints min, median and max in ms.
//   runs RUNS STDIN_FILE command args...   (stdout goes to /dev/null)
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: runs RUNS STDIN_FILE command args...\n"); return 64; }
    int n = atoi(argv[1]);
    double *t = malloc(sizeof(double) * n);
    for (int i = 0; i < n; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        pid_t p = fork();
        if (p == 0) {
            int in = open(argv[2], O_RDONLY), out = open("/dev/null", O_WRONLY);
            dup2(in, 0); dup2(out, 1);
            execv(argv[3], argv + 3);
            _exit(127);
        }
        int status;
        waitpid(p, &status, 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "run %d failed\n", i); return 1; }
        t[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
    }
    qsort(t, n, sizeof(double), cmp);
    printf("min %.2f ms  median %.2f ms  max %.2f ms  (%d runs)\n", t[0], t[n / 2], t[n - 1], n);
    return 0;
}

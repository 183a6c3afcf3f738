# Coefficients of Benchmarks/cpu/sigmoid-segments.swift: L(u) = 1/(1 + e^u) on each octave
# [lo, 2lo) (and [0, 1)) by a degree-7 polynomial in t = u - lo, fitted by iteratively
# reweighted least squares on 3000 Chebyshev nodes (towards minimax), rounded to Float32;
# prints the table rows and each segment's error, evaluated in Float32 in the Swift order.
#   python3 Benchmarks/cpu/sigmoid-segments-fit.py        (numpy only)
import numpy as np
f32 = np.float32
def L(u): return 1 / (1 + np.exp(u))
def fit(lo, hi, degree):
    k = np.arange(3000)
    nodes = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / 3000)
    V = np.vander(nodes - lo, degree + 1, increasing=True)
    y = L(nodes); w = np.ones_like(y)
    for _ in range(80):
        c = np.linalg.lstsq(V * w[:, None], y * w, rcond=None)[0]
        err = np.abs(V @ c - y); w = w * (1 + err / err.max())
    return c.astype(f32)
def evaluate(t, c):   # ((c0 + c1 t) + t²(c2 + c3 t)) + t⁴((c4 + c5 t) + t²(c6 + c7 t)), Float32
    t = f32(t); t2 = t * t; t4 = t2 * t2
    return ((c[0] + c[1] * t) + t2 * (c[2] + c[3] * t)) + t4 * ((c[4] + c[5] * t) + t2 * (c[6] + c[7] * t))
for lo, hi in [(0, 1), (1, 2), (2, 4), (4, 8), (8, 16), (16, 32)]:
    c = fit(lo, hi, 7)
    u = np.linspace(lo, hi, 800001).astype(f32); u = u[u < hi]
    l = evaluate(u - f32(lo), c)
    exact = L(u.astype(np.float64))
    print(", ".join(repr(float(v)) for v in c) + ",",
          "# [%g, %g): |L| error %.2g, |1 - L| error %.2g" % (lo, hi, np.abs(l - exact).max(), np.abs((f32(1) - l) - (1 - exact)).max()))
print(", ".join(["0.0"] * 8) + ",  # from 32 on")

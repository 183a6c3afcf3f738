#!/usr/bin/env python3
"""emlearn's eml_net as a peer for scripts/mcu-run.sh --emlearn.

Reads a Float32 FixedNet blob (v2), builds a scikit-learn MLPClassifier of the
same shape (fit for one iteration on dummy data so every attribute exists, as
../shared/peers/infer/gen_emlearn.py does), puts the blob's weights in it and
converts it with emlearn.convert(..., method="loadable"). The stored
standardisation is not part of an sklearn MLP: emlearn_main.c applies it first.
emlearn prints weights with "%f" (6 decimals), so its outputs differ from
FixedNet's by about 1e-6.

    gen_emlearn.py BLOB OUTDIR     writes OUTDIR/digits_net.h
"""
import os
import struct
import sys
import warnings

import numpy as np
import emlearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier


def read_blob(path):
    b = open(path, "rb").read()
    assert b[:4] == b"FNB1" and struct.unpack_from("<H", b, 4)[0] == 2, "a version-2 FixedNet blob"
    layer_count, input_count = struct.unpack_from("<II", b, 28)
    layers = []
    for l in range(layer_count):
        rec = 128 + 32 * l
        nin, nout, padded = struct.unpack_from("<III", b, rec)
        act, kind, etype = b[rec + 12], b[rec + 13], b[rec + 14]
        assert etype == 1, "Float32 weights"
        off = struct.unpack_from("<I", b, rec + 20)[0]
        w = np.frombuffer(b, "<f4", nin * padded, off).reshape(nin, padded)[:, :nout]
        bias = np.frombuffer(b, "<f4", padded, off + 4 * nin * padded)[:nout]
        layers.append((w.astype(np.float64), bias.astype(np.float64), act))
    return input_count, layers


def main():
    blob, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    nin, layers = read_blob(blob)
    hidden = {4: "relu", 3: "tanh", 2: "logistic", 0: "identity"}[layers[0][2]]
    assert layers[-1][2] == 13, "a softmax classifier"
    sizes = [w.shape[1] for w, _, _ in layers]
    ncls = sizes[-1]
    rng = np.random.default_rng(0)
    clf = MLPClassifier(hidden_layer_sizes=tuple(sizes[:-1]), activation=hidden, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(rng.normal(size=(4 * ncls, nin)), np.arange(4 * ncls) % ncls)
    clf.coefs_ = [w.copy() for w, _, _ in layers]
    clf.intercepts_ = [b.copy() for _, b, _ in layers]
    cwd = os.getcwd()
    os.chdir(out)  # emlearn.convert compiles a Python-callable copy into ./tmp
    try:
        cmodel = emlearn.convert(clf, method="loadable")
    finally:
        os.chdir(cwd)
    cmodel.save(file=os.path.join(out, "digits_net.h"), name="digits_net")
    print(f"gen_emlearn: emlearn {open(os.path.join(os.path.dirname(emlearn.__file__), 'VERSION.txt')).read().strip()}, "
          f"{nin}-{'-'.join(map(str, sizes))}, wrote {out}/digits_net.h")


if __name__ == "__main__":
    main()

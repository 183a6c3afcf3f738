#!/usr/bin/env python3
"""Builds the ONNX fixtures that Tests/CompilerTests/ONNXFixtureTests.swift reads.

Run from the repository root, in a venv of its own (the test suite needs no Python):

    python3 -m venv .venv-onnx
    .venv-onnx/bin/pip install torch onnx onnxruntime scikit-learn skl2onnx onnxscript
    swift build --product fnc
    .venv-onnx/bin/python Tests/Fixtures/onnx/make.py

It writes, next to this file:
- models/*.onnx: real exports (torch.onnx.export, skl2onnx.to_onnx) and
  onnx.helper graphs shaped like tf2onnx's Keras Dense exports, covering every
  supported op at least once;
- errors/*.onnx: one file per refusal, with the message fragment expected;
- exported/*.onnx: `fnc export --onnx` of the bundled models, run by
  onnxruntime here and compared with `fnc predict` (|Δ| <= 1e-6);
- manifest.json: per fixture the source, the expected task and labels, the
  input rows (Float32 values) and onnxruntime's Float32 outputs.
Everything is seeded, so a rerun with the same versions writes the same numbers.
"""
import json, os, subprocess, sys, pathlib
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper
import onnxruntime as ort

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FNC = os.environ.get("FNC", str(ROOT / ".build/debug/fnc"))
MODELS, ERRORS, EXPORTED = HERE / "models", HERE / "errors", HERE / "exported"
for d in (MODELS, ERRORS, EXPORTED):
    d.mkdir(exist_ok=True)
    for f in d.glob("*.onnx"):
        f.unlink()

rng = np.random.default_rng(20261201)
manifest = {"versions": {}, "models": [], "errors": [], "exports": []}


def ort_run(path, rows):
    s = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    inp = s.get_inputs()[0]
    x = rows.astype(np.float64 if inp.type == "tensor(double)" else np.float32)
    outs = s.run(None, {inp.name: x})
    names = [o.name for o in s.get_outputs()]
    return dict(zip(names, outs))


def f32list(a):
    return [[float(np.float32(v)) for v in row] for row in np.asarray(a, dtype=np.float32).reshape(len(a), -1)]


def add_model(name, path, source, rows, output, task, labels=None, ops=None, import_args=None, note=None, transform=None):
    """Runs ORT on `rows` and records the chosen output (a ZipMap's list of dicts becomes a matrix)."""
    onnx.checker.check_model(onnx.load(str(path)))
    outs = ort_run(path, rows)
    y = outs[output]
    if isinstance(y, list):  # ZipMap: [{label: p}]
        keys = list(y[0].keys())
        y = np.array([[d[k] for k in keys] for d in y], dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    if transform == "exp":
        y = np.exp(y.astype(np.float64)).astype(np.float32)
    if transform == "softmax":
        z = y.astype(np.float64)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        y = (z / z.sum(axis=1, keepdims=True)).astype(np.float32)
    if transform == "sigmoid":
        y = (1 / (1 + np.exp(-y.astype(np.float64)))).astype(np.float32)
    m = onnx.load(str(path))
    used = sorted({f"{n.domain + '.' if n.domain else ''}{n.op_type}" for n in m.graph.node})
    manifest["models"].append({
        "name": name, "file": f"models/{path.name}", "source": source, "task": task, "labels": labels,
        "opset": {o.domain or "ai.onnx": o.version for o in m.opset_import}, "ops": used,
        "importArgs": import_args or [], "note": note, "inputs": f32list(rows), "outputs": f32list(y),
    })


def rows_for(n_features, count=24, scale=1.5):
    return (rng.normal(size=(count, n_features)) * scale).astype(np.float32)


# ---------------------------------------------------------------- torch
import torch
import torch.nn as nn

manifest["versions"] = {"torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__}


def torch_export(name, model, n_features, opset=17, dynamo=False, **kw):
    model.eval()
    path = MODELS / f"{name}.onnx"
    x = torch.randn(2, n_features)
    if dynamo:
        torch.onnx.export(model, (x,), str(path), dynamo=True, opset_version=opset, input_names=["x"], output_names=["y"],
                          dynamic_shapes=({0: torch.export.Dim("N")},), external_data=False)
    else:
        torch.onnx.export(model, x, str(path), dynamo=False, opset_version=opset, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
    src = f"torch {torch.__version__} torch.onnx.export(dynamo={dynamo}, opset_version={opset})"
    add_model(name, path, src, rows_for(n_features), "y", **kw)


torch.manual_seed(0)
torch_export("torch-classifier", nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 12), nn.Tanh(), nn.Linear(12, 3), nn.Softmax(dim=1)),
             8, task="classification", labels=["0", "1", "2"])
torch_export("torch-logits", nn.Sequential(nn.Linear(6, 10), nn.ReLU(), nn.Linear(10, 4)), 6, task="classification",
             labels=["0", "1", "2", "3"], import_args=["--task", "classify"], transform="softmax",
             note="raw logits; --task classify adds softmax, so ORT's outputs are compared after softmax")
torch_export("torch-regressor", nn.Sequential(nn.Linear(5, 12), nn.ELU(alpha=0.5), nn.Linear(12, 2)), 5, task="regression")
torch_export("torch-activations", nn.Sequential(
    nn.Flatten(), nn.Linear(4, 8), nn.LeakyReLU(0.1), nn.Linear(8, 8), nn.PReLU(init=0.2), nn.Linear(8, 8), nn.SELU(),
    nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 8), nn.Softplus(), nn.Linear(8, 8), nn.Hardsigmoid(), nn.Linear(8, 2)),
    4, task="regression")
torch_export("torch-gelu-erf", nn.Sequential(nn.Linear(5, 9), nn.GELU(), nn.Linear(9, 7), nn.SiLU(), nn.Linear(7, 3), nn.LogSoftmax(dim=1)),
             5, task="classification", labels=["0", "1", "2"], transform="exp",
             note="LogSoftmax imports as softmax: FixedNet outputs the probabilities, exp of ORT's outputs")
torch_export("torch-gelu-opset20", nn.Sequential(nn.Linear(3, 6), nn.GELU(), nn.Linear(6, 2), nn.Softmax(dim=-1)), 3, opset=20,
             task="classification", labels=["0", "1"])
bn = nn.Sequential(nn.BatchNorm1d(6), nn.Linear(6, 10), nn.BatchNorm1d(10), nn.ReLU(), nn.Dropout(0.3), nn.Linear(10, 3), nn.Softmax(dim=1))
with torch.no_grad():
    for m in bn:
        if isinstance(m, nn.BatchNorm1d):
            m.running_mean.copy_(torch.randn(m.num_features) * 0.5)
            m.running_var.copy_(torch.rand(m.num_features) + 0.5)
            m.weight.copy_(torch.rand(m.num_features) + 0.5)
            m.bias.copy_(torch.randn(m.num_features) * 0.3)
torch_export("torch-batchnorm", bn, 6, task="classification", labels=["0", "1", "2"])
try:
    torch_export("torch-dynamo", nn.Sequential(nn.Linear(7, 11), nn.ReLU(), nn.Linear(11, 4), nn.Softmax(dim=1)), 7, opset=18, dynamo=True,
                 task="classification", labels=["0", "1", "2", "3"])
except Exception as e:  # the dynamo exporter needs onnxscript; record why it is missing
    print("dynamo export skipped:", e, file=sys.stderr)

# ---------------------------------------------------------------- scikit-learn
import sklearn
from sklearn.datasets import load_iris, load_breast_cancer, load_diabetes
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
import skl2onnx
from skl2onnx import to_onnx
import warnings
warnings.filterwarnings("ignore")
manifest["versions"].update({"scikit-learn": sklearn.__version__, "skl2onnx": skl2onnx.__version__})


def sk_export(name, pipe, X, **kw):
    path = MODELS / f"{name}.onnx"
    onx = to_onnx(pipe, X[:1].astype(np.float32))
    path.write_bytes(onx.SerializeToString())
    rows = X[rng.choice(len(X), 24, replace=False)].astype(np.float32)
    out = [o.name for o in onx.graph.output if o.name != "label" and "label" not in o.name] or [onx.graph.output[0].name]
    add_model(name, path, f"scikit-learn {sklearn.__version__}, skl2onnx {skl2onnx.__version__} to_onnx(pipeline, X[:1]) (defaults: ZipMap on)",
              rows, out[0], **kw)
    return pipe


iris = load_iris()
names = [str(n) for n in iris.target_names]
pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(16,), max_iter=600, random_state=0))
pipe.fit(iris.data, np.array(names)[iris.target])
sk_export("sklearn-multiclass", pipe, iris.data, task="classification", labels=sorted(names))

bc = load_breast_cancer()
Xb = bc.data[:, :10]
pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(12, 6), activation="tanh", max_iter=600, random_state=0))
pipe.fit(Xb, bc.target)
sk_export("sklearn-binary", pipe, Xb, task="classification", labels=["0", "1"])

db = load_diabetes()
yd = (db.target - db.target.mean()) / db.target.std()
pipe = make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(20, 10), activation="logistic", max_iter=800, random_state=0))
pipe.fit(db.data, yd)
sk_export("sklearn-regressor", pipe, db.data, task="regression",
          note="trained on the standardised target, so outputs are O(1) and a 1e-5 absolute bound is meaningful against Float32")

# ---------------------------------------------------------------- onnx.helper graphs
def tensor(name, a, dtype=TensorProto.FLOAT, raw=False):
    a = np.asarray(a)
    np_type = {TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64, TensorProto.FLOAT16: np.float16,
               TensorProto.INT64: np.int64}[dtype]
    a = a.astype(np_type)
    if raw:
        return helper.make_tensor(name, dtype, a.shape, a.tobytes(), raw=True)
    if dtype == TensorProto.FLOAT16:
        return helper.make_tensor(name, dtype, a.shape, a.flatten().tolist())
    return helper.make_tensor(name, dtype, a.shape, a.flatten().tolist())


def save_graph(path, nodes, inits, inputs, outputs, opset=13, ml=False, ir=8):
    g = helper.make_graph(nodes, path.stem, inputs, outputs, initializer=inits)
    ops = [helper.make_opsetid("", opset)] + ([helper.make_opsetid("ai.onnx.ml", 3)] if ml else [])
    m = helper.make_model(g, opset_imports=ops, producer_name="tf2onnx-shaped helper graph", ir_version=ir)
    onnx.save_model(m, str(path))
    return m


def vi(name, n, dtype=TensorProto.FLOAT, batch="unk__0"):
    return helper.make_tensor_value_info(name, dtype, [batch, n])


def W(n_in, n_out, scale=None):
    return (rng.normal(size=(n_in, n_out)) * (scale or 1 / np.sqrt(n_in))).astype(np.float32)


def B(n):
    return (rng.normal(size=n) * 0.2).astype(np.float32)


# A Keras Sequential of Dense layers as tf2onnx writes it: MatMul + Add, float_data storage, Identity at the end.
F = 10
n = [helper.make_node("MatMul", ["dense_input", "sequential/dense/MatMul/ReadVariableOp:0"], ["sequential/dense/MatMul:0"], name="sequential/dense/MatMul"),
     helper.make_node("Add", ["sequential/dense/MatMul:0", "sequential/dense/BiasAdd/ReadVariableOp:0"], ["sequential/dense/BiasAdd:0"], name="sequential/dense/BiasAdd"),
     helper.make_node("Relu", ["sequential/dense/BiasAdd:0"], ["sequential/dense/Relu:0"], name="sequential/dense/Relu"),
     helper.make_node("MatMul", ["sequential/dense/Relu:0", "sequential/dense_1/MatMul/ReadVariableOp:0"], ["sequential/dense_1/MatMul:0"], name="sequential/dense_1/MatMul"),
     helper.make_node("Add", ["sequential/dense_1/MatMul:0", "sequential/dense_1/BiasAdd/ReadVariableOp:0"], ["sequential/dense_1/BiasAdd:0"], name="sequential/dense_1/BiasAdd"),
     helper.make_node("Softmax", ["sequential/dense_1/BiasAdd:0"], ["sequential/dense_1/Softmax:0"], name="sequential/dense_1/Softmax", axis=-1),
     helper.make_node("Identity", ["sequential/dense_1/Softmax:0"], ["dense_1"], name="Identity")]
inits = [tensor("sequential/dense/MatMul/ReadVariableOp:0", W(F, 16)), tensor("sequential/dense/BiasAdd/ReadVariableOp:0", B(16)),
         tensor("sequential/dense_1/MatMul/ReadVariableOp:0", W(16, 5)), tensor("sequential/dense_1/BiasAdd/ReadVariableOp:0", B(5))]
p = MODELS / "keras-dense.onnx"
save_graph(p, n, inits, [vi("dense_input", F)], [vi("dense_1", 5)], opset=13)
add_model("keras-dense", p, "onnx.helper graph shaped like tf2onnx 1.16 (Keras Sequential of Dense, softmax)", rows_for(F), "dense_1",
          task="classification", labels=["0", "1", "2", "3", "4"])

# Keras with a Normalization layer (Sub, Mul by 1/sqrt(var)), a Reshape to [-1, F], one sigmoid output.
F = 6
mean, inv = rng.normal(size=F).astype(np.float32), (rng.random(F) + 0.5).astype(np.float32)
n = [helper.make_node("Reshape", ["input_1", "shape"], ["reshaped"], name="sequential/flatten/Reshape"),
     helper.make_node("Sub", ["reshaped", "norm_mean"], ["centered"], name="sequential/normalization/sub"),
     helper.make_node("Mul", ["centered", "norm_inv_std"], ["scaled"], name="sequential/normalization/truediv"),
     helper.make_node("MatMul", ["scaled", "k0"], ["m0"], name="sequential/dense/MatMul"),
     helper.make_node("Add", ["m0", "b0"], ["z0"], name="sequential/dense/BiasAdd"),
     helper.make_node("Tanh", ["z0"], ["a0"], name="sequential/dense/Tanh"),
     helper.make_node("MatMul", ["a0", "k1"], ["m1"], name="sequential/dense_1/MatMul"),
     helper.make_node("Add", ["m1", "b1"], ["z1"], name="sequential/dense_1/BiasAdd"),
     helper.make_node("Sigmoid", ["z1"], ["dense_1"], name="sequential/dense_1/Sigmoid")]
inits = [tensor("shape", [-1, F], TensorProto.INT64), tensor("norm_mean", mean), tensor("norm_inv_std", inv),
         tensor("k0", W(F, 8)), tensor("b0", B(8)), tensor("k1", W(8, 1)), tensor("b1", B(1))]
p = MODELS / "keras-normalization.onnx"
save_graph(p, n, inits, [vi("input_1", F)], [vi("dense_1", 1)], opset=13)
add_model("keras-normalization", p, "onnx.helper graph shaped like tf2onnx (Keras Normalization, Reshape, sigmoid output)", rows_for(F), "dense_1",
          task="classification", labels=["0", "1"])

# The remaining ops and storage forms: Add/Div preprocessing, BatchNormalization on the input, Gemm with alpha, beta,
# transB 0 and a [1, N] bias, Constant, Cast of float16 and double weights, Dropout, Identity, Flatten,
# Elu (default alpha), HardSigmoid with beta 0.6 (folded into the bias), Softmax axis 1.
F = 5
bn_scale, bn_bias = (rng.random(F) + 0.5).astype(np.float32), (rng.normal(size=F) * 0.1).astype(np.float32)
bn_mean, bn_var = (rng.normal(size=F) * 0.2).astype(np.float32), (rng.random(F) + 0.5).astype(np.float32)
w0 = W(F, 7)
n = [helper.make_node("Add", ["x", "shift"], ["x1"], name="shift"),
     helper.make_node("Div", ["x1", "spread"], ["x2"], name="spread"),
     helper.make_node("BatchNormalization", ["x2", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["x3"], name="input_bn", epsilon=1e-3),
     helper.make_node("Flatten", ["x3"], ["x4"], name="flatten", axis=1),
     helper.make_node("Constant", [], ["w0"], name="w0_const", value=tensor("w0_value", w0)),
     helper.make_node("Gemm", ["x4", "w0", "c0"], ["z0"], name="gemm0", alpha=0.5, beta=2.0, transB=0),
     helper.make_node("Elu", ["z0"], ["a0"], name="elu"),
     helper.make_node("Dropout", ["a0", "ratio"], ["d0"], name="dropout"),
     helper.make_node("Cast", ["w1_half"], ["w1"], name="w1_cast", to=TensorProto.FLOAT),
     helper.make_node("Gemm", ["d0", "w1", "c1"], ["z1"], name="gemm1", transB=1),
     helper.make_node("HardSigmoid", ["z1"], ["a1"], name="hard_sigmoid", alpha=0.3, beta=0.6),
     helper.make_node("Identity", ["a1"], ["i1"], name="identity"),
     helper.make_node("Cast", ["w2_double"], ["w2"], name="w2_cast", to=TensorProto.FLOAT),
     helper.make_node("MatMul", ["i1", "w2"], ["m2"], name="matmul2"),
     helper.make_node("Add", ["b2", "m2"], ["z2"], name="bias2"),
     helper.make_node("Softmax", ["z2"], ["probabilities"], name="softmax", axis=1)]
inits = [tensor("shift", [0.5]), tensor("spread", (rng.random(F) + 0.5)), tensor("bn_scale", bn_scale), tensor("bn_bias", bn_bias),
         tensor("bn_mean", bn_mean), tensor("bn_var", bn_var), tensor("c0", B(7).reshape(1, 7)), tensor("ratio", np.float32(0.25)),
         tensor("w1_half", W(7, 6).T, TensorProto.FLOAT16), tensor("c1", B(6)), tensor("w2_double", W(6, 4), TensorProto.DOUBLE),
         tensor("b2", B(4), raw=True)]
p = MODELS / "helper-misc.onnx"
save_graph(p, n, inits, [vi("x", F, batch="N")], [vi("probabilities", 4, batch="N")], opset=13)
add_model("helper-misc", p, "onnx.helper graph: Add/Div and BatchNormalization on the input, Gemm alpha/beta/transB=0, Constant, "
          "float16 and double weights through Cast, Dropout, Identity, Flatten, Elu, HardSigmoid beta 0.6, Softmax axis 1",
          rows_for(F), "probabilities", task="classification", labels=["0", "1", "2", "3"])

# A double-typed graph input (skl2onnx writes one for float64 training data).
F = 3
n = [helper.make_node("Gemm", ["x", "w", "b"], ["z"], name="gemm", transB=1), helper.make_node("Tanh", ["z"], ["y"], name="tanh")]
p = MODELS / "helper-double.onnx"
save_graph(p, n, [tensor("w", W(F, 2).T, TensorProto.DOUBLE), tensor("b", B(2), TensorProto.DOUBLE)],
           [vi("x", F, TensorProto.DOUBLE, batch="N")], [vi("y", 2, TensorProto.DOUBLE, batch="N")], opset=13)
add_model("helper-double", p, "onnx.helper graph with a double input and double weights", rows_for(F), "y", task="regression")

# bfloat16 weights (raw_data) cast to float, and a LeakyRelu with its default alpha.
F = 4
wb = W(F, 3)
n = [helper.make_node("Cast", ["w_bf16"], ["w"], name="cast_w", to=TensorProto.FLOAT),
     helper.make_node("MatMul", ["x", "w"], ["m"], name="matmul"), helper.make_node("Add", ["m", "b"], ["z"], name="bias"),
     helper.make_node("LeakyRelu", ["z"], ["y"], name="leaky")]
bits = (wb.view(np.uint32) >> 16).astype(np.uint16)
bf16 = helper.make_tensor("w_bf16", TensorProto.BFLOAT16, wb.shape, bits.tobytes(), raw=True)
p = MODELS / "helper-bfloat16.onnx"
save_graph(p, n, [bf16, tensor("b", B(3))], [vi("x", F, batch="N")], [vi("y", 3, batch="N")], opset=13)
add_model("helper-bfloat16", p, "onnx.helper graph with bfloat16 weights (raw_data) through Cast", rows_for(F), "y", task="regression")


# ---------------------------------------------------------------- refusals
def error(name, expect, nodes, inits, inputs, outputs, opset=13, raw_bytes=None, mutate=None):
    path = ERRORS / f"{name}.onnx"
    if raw_bytes is not None:
        path.write_bytes(raw_bytes)
    else:
        g = helper.make_graph(nodes, name, inputs, outputs, initializer=inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
        if mutate:
            mutate(m)
        path.write_bytes(m.SerializeToString())
    manifest["errors"].append({"name": name, "file": f"errors/{path.name}", "expect": expect})


dense = lambda i, o, x, out, name: helper.make_node("Gemm", [x, f"{name}.w", f"{name}.b"], [out], name=name, transB=1)
dense_inits = lambda i, o, name: [tensor(f"{name}.w", W(i, o).T), tensor(f"{name}.b", B(o))]

error("unsupported-op", "is not supported. Supported:", [dense(3, 4, "x", "z", "fc"), helper.make_node("Sin", ["z"], ["y"], name="sine")],
      dense_inits(3, 4, "fc"), [vi("x", 3)], [vi("y", 4)])
error("conv", "node \"conv\" (Conv) in domain \"ai.onnx\"", [helper.make_node("Conv", ["x", "k"], ["y"], name="conv")],
      [tensor("k", np.ones((1, 1, 3)))], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 8])],
      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 6])])
error("two-inputs", "the graph has 2 inputs", [helper.make_node("Add", ["a", "b"], ["s"], name="add"), dense(3, 2, "s", "y", "fc")],
      dense_inits(3, 2, "fc"), [vi("a", 3), vi("b", 3)], [vi("y", 2)])
error("int-input", "is int64 (7); FixedNet models read float or double features",
      [helper.make_node("Cast", ["x"], ["xf"], to=TensorProto.FLOAT), dense(3, 2, "xf", "y", "fc")],
      dense_inits(3, 2, "fc"), [vi("x", 3, TensorProto.INT64)], [vi("y", 2)])
error("dynamic-weight", "takes its weight \"wt\" from the data path",
      [helper.make_node("Transpose", ["w"], ["wt"], name="transpose"), helper.make_node("MatMul", ["x", "wt"], ["y"], name="matmul")],
      [tensor("w", W(2, 3))], [vi("x", 3)], [vi("y", 2)])
error("not-a-chain", "the graph is not a chain",
      [dense(4, 4, "x", "z0", "fc0"), helper.make_node("Relu", ["z0"], ["h"], name="relu"), dense(4, 4, "h", "z1", "fc1"),
       helper.make_node("Add", ["h", "z1"], ["y"], name="residual")],
      dense_inits(4, 4, "fc0") + dense_inits(4, 4, "fc1"), [vi("x", 4)], [vi("y", 4)])


def external(m):
    t = m.graph.initializer[0]
    t.ClearField("raw_data"); t.ClearField("float_data")
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add(); e.key = "location"; e.value = "weights.bin"


error("external-data", "is stored in an external file", [dense(3, 2, "x", "y", "fc")], dense_inits(3, 2, "fc"), [vi("x", 3)], [vi("y", 2)],
      mutate=external)


def sparse(m):
    s = m.graph.sparse_initializer.add()
    s.values.CopyFrom(tensor("fc.sparse", [1.0])); s.indices.CopyFrom(tensor("fc.sparse.idx", [0], TensorProto.INT64)); s.dims.extend([1])


error("sparse-initializer", "sparse tensor \"fc.sparse\" is not supported", [dense(3, 2, "x", "y", "fc")], dense_inits(3, 2, "fc"),
      [vi("x", 3)], [vi("y", 2)], mutate=sparse)
error("gelu-tanh", "attribute approximate = \"tanh\"", [dense(3, 2, "x", "z", "fc"), helper.make_node("Gelu", ["z"], ["y"], name="gelu", approximate="tanh")],
      dense_inits(3, 2, "fc"), [vi("x", 3)], [vi("y", 2)], opset=20)
error("prelu-channels", "one slope per channel", [dense(3, 2, "x", "z", "fc"), helper.make_node("PRelu", ["z", "slope"], ["y"], name="prelu")],
      dense_inits(3, 2, "fc") + [tensor("slope", [0.1, 0.2])], [vi("x", 3)], [vi("y", 2)])
error("softmax-axis", "attribute axis = 0", [dense(3, 2, "x", "z", "fc"), helper.make_node("Softmax", ["z"], ["y"], name="softmax", axis=0)],
      dense_inits(3, 2, "fc"), [vi("x", 3)], [vi("y", 2)])
error("softmax-not-last", "softmax is only allowed on the last layer",
      [dense(3, 3, "x", "z", "fc0"), helper.make_node("Softmax", ["z"], ["p"], name="softmax"), dense(3, 2, "p", "y", "fc1")],
      dense_inits(3, 3, "fc0") + dense_inits(3, 2, "fc1"), [vi("x", 3)], [vi("y", 2)])
error("two-outputs", "several float outputs", [dense(3, 2, "x", "z", "fc"), helper.make_node("Relu", ["z"], ["y"], name="relu")],
      dense_inits(3, 2, "fc"), [vi("x", 3)], [vi("z", 2), vi("y", 2)])
error("weight-type", "has element type complex64 (14)", [helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")],
      [helper.make_tensor("w", TensorProto.COMPLEX64, [3, 2], np.zeros(12, np.float32).tobytes(), raw=True)], [vi("x", 3)], [vi("y", 2)])
error("tanh-gelu-pattern", "not part of a recognised activation pattern", [], [], [], [], raw_bytes=b"")  # replaced below
error("no-dense-layer", "no dense layer", [helper.make_node("Identity", ["x"], ["y"], name="identity")], [], [vi("x", 3)], [vi("y", 3)])
error("activation-first", "an activation must follow a dense layer", [helper.make_node("Relu", ["x"], ["h"], name="relu"), dense(3, 2, "h", "y", "fc")],
      dense_inits(3, 2, "fc"), [vi("x", 3)], [vi("y", 2)])
good = (MODELS / "torch-classifier.onnx").read_bytes()
error("truncated", "not a valid ONNX protobuf", [], [], [], [], raw_bytes=good[: len(good) // 2])
error("not-protobuf", "not a valid ONNX protobuf", [], [], [], [], raw_bytes=b"\x08\x07\x12\xff\xff\xff\xff\x0f")
manifest["errors"] = [e for e in manifest["errors"] if e["name"] != "tanh-gelu-pattern"]
(ERRORS / "tanh-gelu-pattern.onnx").unlink()
m = nn.Sequential(nn.Linear(3, 4), nn.GELU(approximate="tanh"), nn.Linear(4, 2)).eval()
torch.onnx.export(m, torch.randn(1, 3), str(ERRORS / "tanh-gelu-pattern.onnx"), dynamo=False, opset_version=17, input_names=["x"], output_names=["y"])
manifest["errors"].append({"name": "tanh-gelu-pattern", "file": "errors/tanh-gelu-pattern.onnx",
                           "expect": "not part of a recognised activation pattern"})

# ---------------------------------------------------------------- fnc export --onnx of the bundled models
def read_csv(path):
    lines = pathlib.Path(path).read_text().strip().split("\n")
    head = lines[0].split(",")
    has_header = any(not c.replace(".", "").replace("-", "").replace("e", "").isdigit() for c in head)
    rows = [l.split(",") for l in (lines[1:] if has_header else lines)]
    return np.array([[float(v) for v in r[:-1]] for r in rows], dtype=np.float64)


worst_export = 0.0
for name in ["digits", "iris", "sine", "xor"]:
    mdir = ROOT / "models" / name
    out = EXPORTED / f"{name}.onnx"
    subprocess.run([FNC, "export", str(mdir / "model.fnm"), "--onnx", "-o", str(out)], check=True, capture_output=True)
    onnx.checker.check_model(onnx.load(str(out)), full_check=True)
    test = next(mdir.glob("*_test.csv"))
    X = read_csv(test)[:40]
    y = ort_run(out, X.astype(np.float32))["output"]
    # fnc predict on the compiled blob, the same rows without the label column
    blob = EXPORTED / f"{name}.fnb"
    subprocess.run([FNC, "compile", str(mdir / "model.fnm"), "-o", str(blob)], check=True, capture_output=True)
    csv = "\n".join(",".join(repr(float(v)) for v in np.float32(r)) for r in X) + "\n"
    proba = subprocess.run([FNC, "predict", str(blob), "--proba"], input=csv, capture_output=True, text=True, check=True).stdout
    blob.unlink()
    got = []
    for line in proba.strip().split("\n"):
        parts = line.split(",")
        vals = [float(v) for v in (parts[1:] if len(parts) > y.shape[1] else parts)]
        got.append(vals[-y.shape[1]:] if y.shape[1] == 1 and len(vals) == 2 else vals)
    diff = float(np.max(np.abs(np.array(got, dtype=np.float64) - y.astype(np.float64))))
    worst_export = max(worst_export, diff)
    assert diff <= 1e-6, f"{name}: fnc predict and onnxruntime differ by {diff}"
    manifest["exports"].append({"model": name, "file": f"exported/{out.name}", "inputs": f32list(X), "outputs": f32list(y),
                                "maxDifferenceFromFncPredict": diff})
    print(f"export {name}: onnxruntime vs fnc predict max |diff| {diff:.3g}")

(HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
print(f"{len(manifest['models'])} models, {len(manifest['errors'])} refusals, {len(manifest['exports'])} exports; "
      f"worst export difference {worst_export:.3g}")

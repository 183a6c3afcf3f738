"""The Python side of scripts/bench-csv.sh: pandas.read_csv, numpy.loadtxt and
pandas + onnxruntime in-process on the same CSV, one JSON line per measurement.
The ONNX model is built from fnc's JSON export (same weights and normalisation)."""
import json, sys, time, resource
import numpy as np

def main():
    csv, model_json, what = sys.argv[1], sys.argv[2], sys.argv[3]
    t0 = time.perf_counter()
    if what == "pandas":
        import pandas as pd
        df = pd.read_csv(csv)
        x = df.iloc[:, :-1].to_numpy(dtype=np.float64)
        x = (x - x.mean(axis=0)) / x.std(axis=0)        # the same standardise step fnc train does
        n = len(df)
    elif what == "loadtxt":
        a = np.loadtxt(csv, delimiter=",", skiprows=1)
        x = a[:, :-1]
        x = (x - x.mean(axis=0)) / x.std(axis=0)
        n = len(a)
    elif what == "ort":
        import pandas as pd, onnx, onnxruntime as ort
        from onnx import helper, TensorProto, numpy_helper
        m = json.load(open(model_json))
        mean = np.array(m["normalization"]["mean"], dtype=np.float32)
        std = np.array(m["normalization"]["std"], dtype=np.float32)
        inits = [numpy_helper.from_array(mean, "mean"), numpy_helper.from_array(std, "std")]
        nodes = [helper.make_node("Sub", ["x", "mean"], ["x0"]), helper.make_node("Div", ["x0", "std"], ["h0"])]
        prev = "h0"
        for i, layer in enumerate(m["layers"]):
            w = np.array(layer["weights"], dtype=np.float32); b = np.array(layer["biases"], dtype=np.float32)
            inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Gemm", [prev, f"w{i}", f"b{i}"], [f"z{i}"], transB=1))
            act = layer["activation"] if isinstance(layer["activation"], str) else layer["activation"]["name"]
            op = {"relu": "Relu", "softmax": "Softmax", "sigmoid": "Sigmoid", "identity": "Identity", "tanh": "Tanh"}[act]
            nodes.append(helper.make_node(op, [f"z{i}"], [f"h{i+1}"]))
            prev = f"h{i+1}"
        graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, m["inputCount"]])],
                                  [helper.make_tensor_value_info(prev, TensorProto.FLOAT, None)], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        opts = ort.SessionOptions(); opts.intra_op_num_threads = 2
        sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
        t0 = time.perf_counter()   # model building is not counted
        df = pd.read_csv(csv)
        x = df.iloc[:, :-1].to_numpy(dtype=np.float32)
        p = sess.run(None, {"x": x})[0]
        labels = p.argmax(axis=1)
        with open("/dev/null", "w") as f:
            f.write("\n".join(map(str, labels.tolist())))
        n = len(df)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"what": what, "seconds": dt, "rows": n, "peak_rss_kb": rss}))

main()

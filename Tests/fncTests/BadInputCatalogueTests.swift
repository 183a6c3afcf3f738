import Foundation
import Testing
import Compiler
import FixedNet

/// The catalogue of malformed inputs (docs/errors.md is generated from it: run
/// with FIXEDNET_RECORD=1 after an intended change). Every case must exit with its
/// code, print one line to stderr, and leave every file in its directory as it was.
@Suite struct BadInputCatalogueTests {
    struct Case {
        let id: String
        let kind: String          // blob, csv, json, model, flags, stdin, output
        let what: String          // what is malformed
        let args: [String]
        var stdin: String? = nil
        let exit: Int32
        /// Where stdout goes (a path), e.g. /dev/full; nil: a pipe.
        var stdoutPath: String? = nil
    }

    static let cases: [Case] = [
        // CSV data
        Case(id: "csv-missing", kind: "csv", what: "data file does not exist", args: ["train", "nope.csv", "-o", "out.fnm"], exit: 66),
        Case(id: "csv-empty", kind: "csv", what: "empty file", args: ["train", "empty.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-header-only", kind: "csv", what: "a header and no rows", args: ["train", "header.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-short-row", kind: "csv", what: "a row with too few fields", args: ["train", "short.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-long-row", kind: "csv", what: "a row with too many fields", args: ["train", "long.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-text", kind: "csv", what: "text in a numeric field", args: ["train", "text.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-nan", kind: "csv", what: "NaN feature", args: ["train", "nan.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-inf", kind: "csv", what: "infinite feature", args: ["train", "inf.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-empty-field", kind: "csv", what: "empty feature field", args: ["train", "hole.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-quote", kind: "csv", what: "unterminated quoted field", args: ["train", "quote.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-utf8", kind: "csv", what: "bytes that are not UTF-8", args: ["train", "latin1.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-label-index", kind: "csv", what: "label column index past the last column", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--label-column", "9"], exit: 65),
        Case(id: "csv-label-name", kind: "csv", what: "label column name not in the header", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--label-column", "species"], exit: 65),
        Case(id: "csv-regress-text", kind: "csv", what: "text label with --task regress", args: ["train", "words.csv", "-o", "out.fnm", "--task", "regress"], exit: 65),
        Case(id: "csv-one-class", kind: "csv", what: "a single class", args: ["train", "oneclass.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-no-features", kind: "csv", what: "only a label column", args: ["train", "labelonly.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-unseen-label", kind: "csv", what: "eval data with a class the model never saw", args: ["eval", "iris/model.fnb", "unseen.csv"], exit: 65),
        Case(id: "csv-feature-count", kind: "csv", what: "eval data with the wrong feature count", args: ["eval", "iris/model.fnb", "xor/xor_test.csv"], exit: 65),
        Case(id: "csv-predict-count", kind: "csv", what: "predict file with the wrong feature count", args: ["predict", "iris/model.fnb", "short.csv"], exit: 65),
        // The data path (issue 12): never a silent wrong answer.
        Case(id: "csv-na-target", kind: "csv", what: "one NA among numeric regression targets (never a classifier)", args: ["train", "na.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-float32-train", kind: "csv", what: "a feature beyond Float32's range, at train", args: ["train", "big.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-float32-predict", kind: "csv", what: "a feature beyond Float32's range (1e39), at predict", args: ["predict", "iris/model.fnb", "--json"], stdin: "5.1,3.5,1.4,0.2\n1e39,3.5,1.4,0.2\n", exit: 65),
        Case(id: "csv-standardized-inf", kind: "csv", what: "a feature that overflows the model's standardisation", args: ["predict", "iris/model.fnb", "--proba"], stdin: "3e38,3.5,1.4,0.2\n", exit: 65),
        Case(id: "csv-double-overflow", kind: "csv", what: "a number beyond Double (1e400)", args: ["train", "huge.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-label-newline", kind: "csv", what: "a quoted class label holding a newline", args: ["train", "nllabel.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-ambiguous-delimiter", kind: "csv", what: "a first row with both , and ;", args: ["train", "mixed.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-text-after-quote", kind: "csv", what: "text after a closing quote", args: ["train", "afterquote.csv", "-o", "out.fnm"], exit: 65),
        Case(id: "csv-label-name-headerless", kind: "csv", what: "--label-column NAME on a file with no header", args: ["train", "short.csv", "-o", "out.fnm", "--label-column", "y"], exit: 65),
        Case(id: "csv-eval-regress-text", kind: "csv", what: "eval of a regression model on a text target", args: ["eval", "sine/model.fnb", "sinetext.csv"], exit: 65),
        Case(id: "csv-predict-label-range", kind: "csv", what: "predict --label-column past the last column", args: ["predict", "iris/model.fnb", "iris/iris_test.csv", "--label-column", "7"], exit: 65),
        Case(id: "flag-delimiter", kind: "flags", what: "an unsupported --delimiter", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--delimiter", "|"], exit: 64),
        Case(id: "flag-on-error", kind: "flags", what: "an unknown --on-error policy", args: ["predict", "iris/model.fnb", "rows.csv", "--on-error", "ignore"], exit: 64),
        Case(id: "flag-header-both", kind: "flags", what: "--header with --no-header", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--header", "--no-header"], exit: 64),
        // Flags
        Case(id: "flag-unknown", kind: "flags", what: "unknown option", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--colour"], exit: 64),
        Case(id: "flag-no-value", kind: "flags", what: "option without its value", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--epochs"], exit: 64),
        Case(id: "flag-bad-int", kind: "flags", what: "non-integer epochs", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--epochs", "ten"], exit: 64),
        Case(id: "flag-zero-epochs", kind: "flags", what: "epochs out of range", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--epochs", "0"], exit: 64),
        Case(id: "flag-bad-float", kind: "flags", what: "non-numeric learning rate", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--lr", "fast"], exit: 64),
        Case(id: "flag-negative-lr", kind: "flags", what: "negative learning rate", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--lr", "-0.1"], exit: 64),
        Case(id: "flag-nan-lr", kind: "flags", what: "NaN learning rate", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--lr", "nan"], exit: 64),
        Case(id: "flag-l2-negative", kind: "flags", what: "negative --l2", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--l2", "-1"], exit: 64),
        Case(id: "flag-weight-decay-sgd", kind: "flags", what: "--weight-decay without Adam", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--weight-decay", "0.01", "--optimizer", "sgd"], exit: 64),
        Case(id: "flag-weight-decay-text", kind: "flags", what: "non-numeric --weight-decay", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--weight-decay", "lots"], exit: 64),
        Case(id: "flag-dropout-one", kind: "flags", what: "dropout probability 1", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--dropout", "1"], exit: 64),
        Case(id: "flag-dropout-layers", kind: "flags", what: "more dropout values than hidden layers", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--dropout", "0.1,0.2"], exit: 64),
        Case(id: "flag-class-weight-syntax", kind: "flags", what: "--class-weight that is not LABEL=W", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--class-weight", "heavy"], exit: 64),
        Case(id: "flag-class-weight-label", kind: "flags", what: "--class-weight naming no class of the data", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--class-weight", "7=2"], exit: 64),
        Case(id: "flag-class-weight-regression", kind: "flags", what: "--class-weight on a regression", args: ["train", "sine/sine_train.csv", "-o", "out.fnm", "--class-weight", "balanced"], exit: 64),
        Case(id: "flag-schedule", kind: "flags", what: "unknown --schedule", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--schedule", "linear"], exit: 64),
        Case(id: "flag-schedule-gamma", kind: "flags", what: "step schedule with gamma above 1", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--schedule", "step:5:2"], exit: 64),
        Case(id: "flag-warmup", kind: "flags", what: "--warmup as long as the run", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--warmup", "20", "--epochs", "20"], exit: 64),
        Case(id: "flag-clip-norm", kind: "flags", what: "--clip-norm 0", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--clip-norm", "0"], exit: 64),
        Case(id: "flag-threads", kind: "flags", what: "--threads 0", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--threads", "0"], exit: 64),
        Case(id: "csv-label-columns-repeat", kind: "csv", what: "--label-column naming a column twice", args: ["train", "sine/sine_train.csv", "-o", "out.fnm", "--label-column", "label,label"], exit: 65),
        Case(id: "csv-label-columns-classify", kind: "csv", what: "several label columns with --task classify", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--label-column", "f3,label", "--task", "classify"], exit: 65),
        Case(id: "csv-eval-target-count", kind: "csv", what: "eval of a one-output model with two label columns", args: ["eval", "sine/model.fnb", "sine/sine_test.csv", "--label-column", "f0,label"], exit: 65),
        Case(id: "flag-hidden", kind: "flags", what: "malformed hidden widths", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--hidden", "16,x"], exit: 64),
        Case(id: "flag-activation", kind: "flags", what: "unknown activation", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--activation", "sinus"], exit: 64),
        Case(id: "flag-activation-count", kind: "flags", what: "more activations than hidden layers", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--hidden", "8,8", "--activation", "relu,tanh,gelu"], exit: 64),
        Case(id: "flag-hidden-softmax", kind: "flags", what: "softmax on a hidden layer", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--activation", "softmax"], exit: 64),
        Case(id: "flag-optimizer", kind: "flags", what: "unknown optimizer", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--optimizer", "lbfgs"], exit: 64),
        Case(id: "flag-loss", kind: "flags", what: "unknown loss", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--loss", "hinge"], exit: 64),
        Case(id: "flag-batch", kind: "flags", what: "zero batch size", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--batch", "0"], exit: 64),
        Case(id: "flag-validation", kind: "flags", what: "validation fraction above 0.9", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--validation", "0.95"], exit: 64),
        Case(id: "flag-no-output", kind: "flags", what: "train without -o", args: ["train", "iris/iris_train.csv"], exit: 64),
        Case(id: "flag-positionals", kind: "flags", what: "two data files", args: ["train", "a.csv", "b.csv", "-o", "out.fnm"], exit: 64),
        Case(id: "flag-command", kind: "flags", what: "unknown command", args: ["fit", "iris/iris_train.csv"], exit: 64),
        Case(id: "flag-no-command", kind: "flags", what: "no command at all", args: [], exit: 64),
        Case(id: "flag-curve", kind: "flags", what: "learning curve with an unknown extension", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--curve", "c.png"], exit: 64),
        Case(id: "flag-kernel-name", kind: "flags", what: "kernel name that is not a Swift identifier", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--swift", "K.swift", "--name", "9lives"], exit: 64),
        Case(id: "flag-embed-alone", kind: "flags", what: "--embed-blob without --swift", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--embed-blob"], exit: 64),
        Case(id: "flag-kernel-keyword", kind: "flags", what: "kernel name that is a Swift keyword", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--swift", "K.swift", "--name", "class"], exit: 64),
        Case(id: "flag-weights", kind: "flags", what: "an unknown weight format", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--weights", "int4"], exit: 64),
        Case(id: "flag-golden", kind: "flags", what: "more golden vectors than the format holds", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--golden", "65"], exit: 64),
        Case(id: "flag-max-drop-alone", kind: "flags", what: "--max-drop without --report-data", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--max-drop", "1"], exit: 64),
        Case(id: "flag-max-drop-value", kind: "flags", what: "a negative --max-drop", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--report-data", "iris/iris_test.csv", "--max-drop", "-1"], exit: 64),
        Case(id: "compile-max-drop", kind: "model", what: "int8 weights lose more than --max-drop allows: nothing is written", args: ["compile", "sine/model.fnm", "-o", "out.fnb", "--weights", "int8", "--report-data", "sine/sine_test.csv", "--max-drop", "0"], exit: 1),
        Case(id: "compile-report-mismatch", kind: "model", what: "--report-data with the wrong feature count", args: ["compile", "iris/model.fnm", "-o", "out.fnb", "--weights", "f16", "--report-data", "sine/sine_test.csv"], exit: 65),
        Case(id: "model-is-blob", kind: "model", what: "a compiled blob given where a model is read", args: ["compile", "iris/model.fnb", "-o", "out.fnb"], exit: 65),
        Case(id: "flag-resume-epochs", kind: "flags", what: "resume with no epochs left", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--epochs", "2", "--resume", "ck.fnm"], exit: 64),
        // Blobs
        Case(id: "blob-missing", kind: "blob", what: "blob does not exist", args: ["inspect", "nope.fnb"], exit: 66),
        Case(id: "blob-empty", kind: "blob", what: "empty blob", args: ["predict", "empty.fnb"], stdin: "1,2,3,4\n", exit: 65),
        Case(id: "blob-text", kind: "blob", what: "a text file given as a blob", args: ["eval", "iris/iris_test.csv", "iris/iris_test.csv"], exit: 65),
        Case(id: "blob-truncated", kind: "blob", what: "blob cut short", args: ["inspect", "truncated.fnb"], exit: 65),
        Case(id: "blob-flipped", kind: "blob", what: "one flipped bit", args: ["inspect", "flipped.fnb"], exit: 65),
        Case(id: "blob-trailing", kind: "blob", what: "bytes after the checksum", args: ["inspect", "trailing.fnb"], exit: 65),
        Case(id: "blob-version", kind: "blob", what: "a future format version (resealed)", args: ["inspect", "future.fnb"], exit: 65),
        Case(id: "blob-nan", kind: "blob", what: "a NaN weight (resealed)", args: ["inspect", "nan.fnb"], exit: 65),
        Case(id: "blob-offsets", kind: "blob", what: "misordered layer offsets (resealed)", args: ["inspect", "offsets.fnb"], exit: 65),
        Case(id: "blob-huge", kind: "blob", what: "a header declaring 2⁶³ bytes", args: ["inspect", "huge.fnb"], exit: 65),
        Case(id: "blob-golden-bound", kind: "blob", what: "a resealed blob whose goldenMaxError (1e300) would make --verify accept anything", args: ["predict", "golden.fnb", "rows.csv", "--verify"], exit: 65),
        Case(id: "blob-forged", kind: "blob", what: "two weights edited and the next word of their hash lane fixed up, so the 64-bit model hash is kept (issue 19); the SHA-256 identity catches it", args: ["predict", "forged.fnb", "rows64.csv", "--verify"], exit: 1),
        Case(id: "blob-is-model", kind: "blob", what: "a Float64 model given as a blob", args: ["bench", "iris/model.fnm"], exit: 65),
        // JSON models
        Case(id: "json-syntax", kind: "json", what: "JSON syntax error", args: ["import", "syntax.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-not-object", kind: "json", what: "top level is an array", args: ["import", "array.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-no-layers", kind: "json", what: "no layers", args: ["import", "nolayers.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-row-length", kind: "json", what: "a weight row of the wrong length", args: ["import", "rowlen.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-activation", kind: "json", what: "unknown activation name", args: ["import", "act.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-biases", kind: "json", what: "bias count differs from the rows", args: ["import", "biases.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-labels", kind: "json", what: "labels do not match the outputs", args: ["import", "labels.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-softmax", kind: "json", what: "softmax before the last layer", args: ["import", "softmax.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-deep", kind: "json", what: "nesting 100 deep", args: ["import", "deep.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-overflow", kind: "json", what: "a number beyond Double", args: ["import", "overflow.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-escape", kind: "json", what: "an invalid string escape", args: ["import", "escape.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-compile", kind: "json", what: "compile from a broken JSON model", args: ["compile", "rowlen.json", "-o", "out.fnb"], exit: 65),
        // Found by fuzzing (Fuzz/corpus/json/regression-one-label.json): one class once crashed compile.
        Case(id: "json-one-label", kind: "json", what: "classification with a single label (fuzz regression)", args: ["compile", "onelabel.json", "-o", "out.fnb"], exit: 65),
        Case(id: "json-float-overflow", kind: "json", what: "a weight beyond Float32 (1e300), at compile", args: ["compile", "bigweight.json", "-o", "out.fnb"], exit: 65),
        Case(id: "json-duplicate-key", kind: "json", what: "a key given twice (the first value would silently win)", args: ["import", "dupkey.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-label-newline", kind: "json", what: "a label holding a newline", args: ["import", "nllabel.json", "-o", "out.fnm"], exit: 65),
        // ONNX models (Tests/Fixtures/onnx/errors, built by make.py)
        Case(id: "onnx-unsupported-op", kind: "onnx", what: "an op outside the supported set (Sin)", args: ["import", "onnx/unsupported-op.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-conv", kind: "onnx", what: "a convolution (Conv), not an MLP", args: ["import", "onnx/conv.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-two-inputs", kind: "onnx", what: "a graph with two inputs", args: ["import", "onnx/two-inputs.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-int-input", kind: "onnx", what: "an int64 graph input", args: ["import", "onnx/int-input.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-dynamic-weight", kind: "onnx", what: "a MatMul weight computed by a Transpose (not a constant)", args: ["import", "onnx/dynamic-weight.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-not-a-chain", kind: "onnx", what: "a residual connection (a tensor feeding two nodes)", args: ["import", "onnx/not-a-chain.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-external-data", kind: "onnx", what: "a weight stored in an external file", args: ["import", "onnx/external-data.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-sparse-initializer", kind: "onnx", what: "a sparse initializer", args: ["import", "onnx/sparse-initializer.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-gelu-tanh", kind: "onnx", what: "Gelu with approximate=\"tanh\" (opset 20)", args: ["import", "onnx/gelu-tanh.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-prelu-channels", kind: "onnx", what: "PRelu with one slope per channel", args: ["import", "onnx/prelu-channels.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-softmax-axis", kind: "onnx", what: "Softmax over axis 0", args: ["import", "onnx/softmax-axis.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-softmax-not-last", kind: "onnx", what: "a dense layer after Softmax", args: ["import", "onnx/softmax-not-last.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-two-outputs", kind: "onnx", what: "two float outputs that depend on the input", args: ["import", "onnx/two-outputs.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-weight-type", kind: "onnx", what: "a complex64 weight tensor", args: ["import", "onnx/weight-type.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-tanh-gelu-pattern", kind: "onnx", what: "torch's tanh-approximate GELU (an elementwise subgraph that is no known activation)", args: ["import", "onnx/tanh-gelu-pattern.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-no-dense-layer", kind: "onnx", what: "a graph with no dense layer", args: ["import", "onnx/no-dense-layer.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-activation-first", kind: "onnx", what: "an activation before the first dense layer", args: ["import", "onnx/activation-first.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-truncated", kind: "onnx", what: "a real export cut in half", args: ["import", "onnx/truncated.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-not-protobuf", kind: "onnx", what: "bytes that are not protobuf", args: ["import", "onnx/not-protobuf.onnx", "-o", "out.fnm"], exit: 65),
        Case(id: "onnx-compile", kind: "onnx", what: "compile straight from a refused ONNX file", args: ["compile", "onnx/not-a-chain.onnx", "-o", "out.fnb"], exit: 65),
        Case(id: "flag-import-task", kind: "flags", what: "import --task with a value other than classify", args: ["import", "onnx/truncated.onnx", "-o", "out.fnm", "--task", "regress"], exit: 64),
        Case(id: "flag-export-onnx-stdout", kind: "flags", what: "export --onnx without -o (binary to stdout)", args: ["export", "iris/model.fnm", "--onnx"], exit: 64),
        Case(id: "flag-bench-batch", kind: "flags", what: "bench --batch of 0 rows", args: ["bench", "iris/model.fnb", "--batch", "0"], exit: 64),
        Case(id: "flag-bench-tile", kind: "flags", what: "bench --tile that is not a number", args: ["bench", "iris/model.fnb", "--tile", "wide"], exit: 64),
        Case(id: "flag-bench-threads", kind: "flags", what: "bench --threads 0", args: ["bench", "iris/model.fnb", "--threads", "0"], exit: 64),
        Case(id: "json-logits-classifier", kind: "json", what: "a classifier whose last layer is identity (logits)", args: ["import", "logits.json", "-o", "out.fnm"], exit: 65),
        Case(id: "json-regression-labels", kind: "json", what: "a regression model with labels", args: ["import", "reglabels.json", "-o", "out.fnm"], exit: 65),
        // Float64 model files and checkpoints
        Case(id: "model-flipped", kind: "model", what: "model file with a flipped bit", args: ["compile", "flipped.fnm", "-o", "out.fnb"], exit: 65),
        Case(id: "model-truncated", kind: "model", what: "model file cut short", args: ["export", "truncated.fnm", "--json"], exit: 65),
        Case(id: "model-resume-lr", kind: "model", what: "--resume with a different --lr (issue 19: it continued silently)", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--resume", "ck.fnm", "--epochs", "5", "--lr", "0.1"], exit: 64),
        Case(id: "model-resume-data", kind: "model", what: "--resume on other data of the same shape", args: ["train", "shifted.csv", "-o", "out.fnm", "--resume", "ck.fnm", "--epochs", "5"], exit: 64),
        Case(id: "model-resume-missing", kind: "model", what: "resume without a checkpoint state", args: ["train", "iris/iris_train.csv", "-o", "out.fnm", "--resume", "none.fnm"], exit: 66),
        // Streaming stdin
        Case(id: "stdin-count", kind: "stdin", what: "a short row on line 3 (lines 1-2 are predicted first)", args: ["predict", "iris/model.fnb"], stdin: "5.1,3.5,1.4,0.2\n6.2,2.9,4.3,1.3\n7.7,3.0\n", exit: 65),
        Case(id: "stdin-text", kind: "stdin", what: "text in a streamed row", args: ["predict", "iris/model.fnb", "-"], stdin: "5.1,3.5,1.4,0.2\n5.1,x,1.4,0.2\n", exit: 65),
        Case(id: "stdin-nan", kind: "stdin", what: "NaN in a streamed row", args: ["predict", "iris/model.fnb", "--json"], stdin: "NaN,3.5,1.4,0.2\n", exit: 65),
        Case(id: "stdin-quote", kind: "stdin", what: "unterminated quote in a streamed row", args: ["predict", "iris/model.fnb"], stdin: "\"5.1,3.5,1.4,0.2\n", exit: 65),
        // Outputs
        Case(id: "output-is-input-model", kind: "output", what: "compile -o onto its own model file", args: ["compile", "iris/model.fnm", "-o", "iris/model.fnm"], exit: 64),
        Case(id: "output-is-input-data", kind: "output", what: "train -o onto its own data (another spelling of the path)", args: ["train", "iris/iris_train.csv", "-o", "./iris/../iris/iris_train.csv"], exit: 64),
        Case(id: "output-full-predict", kind: "output", what: "predict to a full device (stdout is /dev/full)", args: ["predict", "iris/model.fnb", "rows.csv"], exit: 74, stdoutPath: "/dev/full"),
        Case(id: "output-full-inspect", kind: "output", what: "inspect to a full device", args: ["inspect", "iris/model.fnb"], exit: 74, stdoutPath: "/dev/full"),
        Case(id: "output-full-export", kind: "output", what: "export to a full device", args: ["export", "iris/model.fnm"], exit: 74, stdoutPath: "/dev/full"),
        Case(id: "output-no-dir", kind: "output", what: "output in a missing directory", args: ["compile", "iris/model.fnm", "-o", "missing/out.fnb"], exit: 73),
        Case(id: "output-is-dir", kind: "output", what: "output path is a directory", args: ["compile", "iris/model.fnm", "-o", "iris"], exit: 73),
        Case(id: "output-diverges", kind: "output", what: "training diverges (keep.fnm must survive)", args: ["train", "sine/sine_train.csv", "-o", "keep.fnm", "--lr", "1e6", "--optimizer", "sgd", "--activation", "identity", "--quiet"], exit: 65),
    ]

    static func prepare(_ h: CLIHarness) throws {
        let files: [String: String] = [
            "empty.csv": "", "header.csv": "a,b,label\n", "short.csv": "1,2,0\n3,4\n", "long.csv": "1,2,0\n3,4,1,9\n",
            "text.csv": "a,b,label\n1,2,0\n3,four,1\n", "nan.csv": "1,2,0\nnan,4,1\n", "inf.csv": "1,2,0\n3,inf,1\n",
            "hole.csv": "1,2,0\n3,,1\n", "quote.csv": "1,2,0\n\"3,4,1\n", "words.csv": "1,cat\n2,dog\n",
            "oneclass.csv": "1,2,a\n3,4,a\n5,6,a\n", "labelonly.csv": "label\nx\ny\n",
            "unseen.csv": "5.1,3.5,1.4,0.2,0\n6.2,2.9,4.3,1.3,7\n",
            "na.csv": "x,y\n" + (0..<300).map { "\($0),\($0 == 150 ? "NA" : String(Double($0) * 0.37 + 1))" }.joined(separator: "\n") + "\n",
            "big.csv": "a,b,label\n1,2,0\n3,1e39,1\n", "huge.csv": "a,b,label\n1,2,0\n3,1e400,1\n",
            "mixed.csv": "a,b;c\n1,2;3\n", "afterquote.csv": "a,b,label\n\"1\"x,2,0\n",
            "nllabel.csv": "x,y\n1,a\n2,\"b\nc\"\n3,a\n4,a\n",
            "dupkey.json": "{\"inputCount\": 1, \"inputCount\": 2, \"layers\": [{\"activation\": \"identity\", \"weights\": [[1]], \"biases\": [0]}]}",
            "nllabel.json": "{\"inputCount\": 1, \"task\": \"classification\", \"labels\": [\"a\", \"b\\nc\"], \"layers\": [{\"activation\": \"sigmoid\", \"weights\": [[1]], \"biases\": [0]}]}",
            "sinetext.csv": "x,y\n0.5,0.479\n1.0,high\n", "rows.csv": "5.1,3.5,1.4,0.2\n",
            "syntax.json": "{\n  \"inputCount\" 2\n}", "array.json": "[1, 2]", "nolayers.json": "{\"inputCount\": 2, \"layers\": []}",
            "rowlen.json": "{\"inputCount\": 2, \"layers\": [{\"activation\": \"relu\", \"weights\": [[1, 2], [3]], \"biases\": [0, 0]}]}",
            "act.json": "{\"inputCount\": 1, \"layers\": [{\"activation\": \"sinus\", \"weights\": [[1]], \"biases\": [0]}]}",
            "biases.json": "{\"inputCount\": 1, \"layers\": [{\"activation\": \"relu\", \"weights\": [[1]], \"biases\": [0, 1]}]}",
            "labels.json": "{\"inputCount\": 1, \"task\": \"classification\", \"labels\": [\"a\", \"b\", \"c\"], \"layers\": [{\"activation\": \"softmax\", \"weights\": [[1], [2]], \"biases\": [0, 1]}]}",
            "softmax.json": "{\"inputCount\": 1, \"layers\": [{\"activation\": \"softmax\", \"weights\": [[1]], \"biases\": [0]}, {\"activation\": \"relu\", \"weights\": [[1]], \"biases\": [0]}]}",
            "deep.json": String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
            "overflow.json": "{\"inputCount\": 1e999}", "escape.json": "{\"inputCount\": 1, \"task\": \"re\\qression\"}",
            "keep.fnm": "precious bytes", "empty.fnb": "",
            "onelabel.json": "{\"inputCount\": 1, \"task\": \"classification\", \"labels\": [\"only\"], \"layers\": [{\"activation\": \"sigmoid\", \"weights\": [[1]], \"biases\": [0]}]}",
            "logits.json": "{\"inputCount\": 1, \"task\": \"classification\", \"labels\": [\"a\", \"b\"], \"layers\": [{\"activation\": \"identity\", \"weights\": [[1], [2]], \"biases\": [0, 1]}]}",
            "reglabels.json": "{\"inputCount\": 1, \"task\": \"regression\", \"labels\": [\"a\", \"b\"], \"layers\": [{\"activation\": \"identity\", \"weights\": [[1]], \"biases\": [0]}]}",
            "bigweight.json": "{\"inputCount\": 1, \"layers\": [{\"activation\": \"identity\", \"weights\": [[1e300]], \"biases\": [0]}]}",
        ]
        for (name, text) in files { try h.write(text, to: name) }
        let onnxErrors = CLIHarness.repository.appendingPathComponent("Tests/Fixtures/onnx/errors")
        try FileManager.default.createDirectory(at: h.directory.appendingPathComponent("onnx"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: onnxErrors.path) where name.hasSuffix(".onnx") {
            try FileManager.default.copyItem(at: onnxErrors.appendingPathComponent(name), to: h.directory.appendingPathComponent("onnx/" + name))
        }
        try Data([0x66, 0x6F, 0xE9, 0x2C, 0x31, 0x0A]).write(to: h.directory.appendingPathComponent("latin1.csv"))
        let blob = [UInt8](h.read("iris/model.fnb")!)
        func save(_ b: [UInt8], _ name: String) throws { try Data(b).write(to: h.directory.appendingPathComponent(name)) }
        func edited(_ f: (inout [UInt8]) -> Void) -> [UInt8] { var b = blob; f(&b); BlobWriter.seal(&b); return b }
        try save(Array(blob[0..<(blob.count / 2)]), "truncated.fnb")
        var flipped = blob; flipped[200] ^= 4; try save(flipped, "flipped.fnb")
        try save(blob + [0], "trailing.fnb")
        try save(edited { $0[4] = 3 }, "future.fnb")
        // Layer records start at 128 (v2): the data offset is at +20.
        let data0 = Int(blob[148]) | Int(blob[149]) << 8 | Int(blob[150]) << 16
        try save(edited { $0[data0 + 3] = 0x7F; $0[data0 + 2] = 0xC0 }, "nan.fnb")
        try save(edited { $0[160 + 20] = blob[148]; $0[160 + 21] = blob[149] }, "offsets.fnb")
        var huge = blob; huge[15] = 0x80; try save(huge, "huge.fnb")
        try FileManager.default.copyItem(at: CLIHarness.repository.appendingPathComponent("Tests/Fixtures/forged/digits-forged.fnb"),
                                         to: h.directory.appendingPathComponent("forged.fnb"))
        try h.write((0..<64).map { String($0 % 17) }.joined(separator: ",") + "\n", to: "rows64.csv")
        try save(edited { b in withUnsafeBytes(of: (1e300 as Double).bitPattern.littleEndian) { for k in 0..<8 { b[72 + k] = $0[k] } } }, "golden.fnb")
        let model = [UInt8](h.read("iris/model.fnm")!)
        var mf = model; mf[100] ^= 1; try save(mf, "flipped.fnm")
        try save(Array(model[0..<50]), "truncated.fnm")
        let train = String(decoding: h.read("iris/iris_train.csv")!, as: UTF8.self)
        try h.write(train.replacingOccurrences(of: "5.", with: "5.0001"), to: "shifted.csv")
        // A checkpoint that already holds 3 epochs, for the resume case.
        #expect(try h.run(["train", "iris/iris_train.csv", "-o", "ck-out.fnm", "--epochs", "3", "--checkpoint", "ck.fnm", "--quiet"]).status == 0)
    }

    /// Every regular file under the directory with its bytes.
    static func snapshot(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out[url.path] = (try? FileBytes.read(url.path)).map { Data($0) }
        }
        return out
    }

    /// A missing input and a directory in its place give 66 in every subcommand
    /// (issue 19: a directory was 74 in predict and 65 elsewhere).
    @Test func sameFailureSameExitCodeInEveryCommand() throws {
        let h = try CLIHarness(models: ["iris"])
        defer { h.cleanUp() }
        try FileManager.default.createDirectory(at: h.directory.appendingPathComponent("adir"), withIntermediateDirectories: true)
        for bad in ["nope.csv", "adir", "iris/model.fnb/inside"] {
            let commands: [[String]] = [
                ["train", bad, "-o", "o.fnm"], ["compile", bad, "-o", "o.fnb"], ["predict", bad], ["predict", "iris/model.fnb", bad],
                ["eval", bad, "iris/iris_test.csv"], ["eval", "iris/model.fnb", bad], ["bench", bad], ["inspect", bad],
                ["export", bad], ["import", bad, "-o", "o.fnm"], ["gradcheck", bad],
            ]
            for c in commands {
                let r = try h.run(c)
                #expect(r.status == 66, "fnc \(c.joined(separator: " ")): exit \(r.status), \(r.stderr)")
            }
        }
    }

    @Test func catalogue() throws {
        #expect(Set(Self.cases.map(\.id)).count == Self.cases.count)
        #expect(Self.cases.count >= 50)
        let h = try CLIHarness(models: ["iris", "xor", "sine"])
        defer { h.cleanUp() }
        try Self.prepare(h)
        var doc = """
        # fnc errors: the bad-input catalogue

        Generated by `Tests/fncTests/BadInputCatalogueTests.swift` (`FIXEDNET_RECORD=1 swift test --filter catalogue`).
        Every case is run by the tests: the exit code and the one-line message must match, and no file may be
        created or changed. The runtime's blob errors are `BlobError` cases (Sources/FixedNet/BlobError.swift); their
        text follows `invalid blob:`.

        ## Exit codes

        One code per kind of failure, the same in every subcommand (`sameFailureSameExitCodeInEveryCommand` checks
        the input cases across train, compile, predict, eval, bench, inspect, export, import and gradcheck):

        | exit | kind | examples |
        |---:|---|---|
        | 0 | success | |
        | 1 | a check ran and failed | `gradcheck` above its tolerance, `predict --verify` outside the golden bound |
        | 64 | usage | an unknown flag, a bad flag value, `-o` onto an input, `--resume` with other data or flags |
        | 65 | bad content | CSV, JSON, ONNX, model file, checkpoint or blob that is malformed or cannot be represented; training that diverges |
        | 66 | an input that cannot be opened | a missing file, a directory, a path through a file, no permission |
        | 73 | an output that cannot be created | a missing directory, a directory in the way |
        | 74 | an I/O error once a file is open | a failed read, a full disk, stdout closed or full |
        | 128 + n | stopped by signal n | SIGINT (130) and SIGTERM (143), after saving |

        ## The catalogue

        | # | id | kind | malformed input | command | exit | message |
        |---:|---|---|---|---|---:|---|

        """
        for (k, c) in Self.cases.enumerated() {
            let before = Self.snapshot(h.directory)
            let r = try h.run(c.args, stdin: c.stdin, stdoutPath: c.stdoutPath)
            let after = Self.snapshot(h.directory)
            #expect(r.status == c.exit, "\(c.id): exit \(r.status), expected \(c.exit): \(r.stderr)")
            #expect(r.stderr.hasPrefix("fnc: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(c.id): \(r.stderr)")
            #expect(after == before, "\(c.id): files changed: \(Set(after.keys).symmetricDifference(before.keys))")
            let command = (["fnc"] + c.args).joined(separator: " ") + (c.stdin != nil ? " < stdin" : "") + (c.stdoutPath.map { " > \($0)" } ?? "")
            let message = r.stderr.trimmingCharacters(in: .newlines).replacingOccurrences(of: "|", with: "\\|")
            doc += "| \(k + 1) | \(c.id) | \(c.kind) | \(c.what) | `\(command)` | \(r.status) | `\(message)` |\n"
        }
        let path = CLIHarness.repository.appendingPathComponent("docs/errors.md").path
        if CLIHarness.recording { try doc.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == doc, "docs/errors.md is stale (FIXEDNET_RECORD=1)")
    }
}

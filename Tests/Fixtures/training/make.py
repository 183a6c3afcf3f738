#!/usr/bin/env python3
"""Reference runs for the training options (FixedNet issue 17), in PyTorch float64.

Same data, initial weights and visiting order as the round-1 parity test
(Tests/Fixtures/digits: the peers' digits split, init 64-32-10.f64, digits_perm.csv):
digits standardised with the training split's mean and population std (std 0 -> 1),
MLP 64-32-10, ReLU, softmax + cross-entropy, batch 32 (the last batch of an epoch
has 3 rows), 20 epochs, epoch e visits digits_perm.csv row e.

  adamw:  torch.optim.AdamW(lr 0.01, betas (0.9, 0.999), eps 1e-8, weight_decay 0.05
          on the weight matrices only, 0 on biases); the rate is set per epoch:
          3 epochs of linear warm-up (lr*(e+1)/3), then cosine from 0.01 to 1e-4 over
          the 17 epochs left (FixedNet: --optimizer adam --lr 0.01 --weight-decay 0.05
          --schedule cosine:0.0001 --warmup 3).
  sgd:    torch.optim.SGD(lr 0.01, momentum 0.9); the objective is the class-weighted
          batch mean, sum(w[y]*CE)/B, plus scikit-learn's L2 term alpha/(2B)*sum(W^2)
          over the weight matrices (alpha 0.5, B the batch's rows), written into the
          loss so autograd differentiates it; class weights "balanced" on the training
          split, n/(classes*count) (FixedNet: --optimizer momentum --l2 0.5
          --class-weight balanced).

Writes reference.json: per run the final weights' unweighted mean cross-entropy over
the whole training split (no penalty) and each epoch's mean batch objective.

  python3 -m venv /tmp/v && /tmp/v/bin/pip install torch numpy && /tmp/v/bin/python make.py
"""
import json, math, os, sys
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
digits = os.path.join(here, "..", "digits")

def load_csv(name):
    rows = [l.strip().split(",") for l in open(os.path.join(digits, name))][1:]
    X = np.array([[float(v) for v in r[:-1]] for r in rows])
    y = np.array([int(float(r[-1])) for r in rows])
    return X, y

X, y = load_csv("digits_train.csv")
mean = X.mean(axis=0)
std = np.sqrt(((X - mean) ** 2).mean(axis=0))
std[std == 0] = 1
X = (X - mean) / std
perm = [[int(v) for v in l.strip().split(",")] for l in open(os.path.join(digits, "digits_perm.csv"))]
flat = np.fromfile(os.path.join(digits, "64-32-10.f64"), dtype="<f8")
EPOCHS, BATCH = 20, 32

def network():
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    k = 0
    with torch.no_grad():
        for layer in (model[0], model[2]):
            n = layer.weight.numel(); layer.weight.copy_(torch.tensor(flat[k:k + n]).reshape(layer.weight.shape)); k += n
            n = layer.bias.numel(); layer.bias.copy_(torch.tensor(flat[k:k + n])); k += n
    assert k == len(flat)
    return model

Xt, yt = torch.tensor(X), torch.tensor(y)

def final_loss(model):
    with torch.no_grad():
        return float(torch.nn.functional.cross_entropy(model(Xt), yt))

def adamw():
    model = network()
    weights = [model[0].weight, model[2].weight]
    biases = [model[0].bias, model[2].bias]
    opt = torch.optim.AdamW([{"params": weights, "weight_decay": 0.05}, {"params": biases, "weight_decay": 0.0}],
                            lr=0.01, betas=(0.9, 0.999), eps=1e-8, foreach=False)
    lr0, floor, warm = 0.01, 1e-4, 3
    curve = []
    for e in range(EPOCHS):
        lr = lr0 * (e + 1) / warm if e < warm else floor + (lr0 - floor) * (1 + math.cos(math.pi * (e - warm) / (EPOCHS - warm))) / 2
        for g in opt.param_groups: g["lr"] = lr
        order, total = perm[e % len(perm)], 0.0
        for s in range(0, len(order), BATCH):
            idx = torch.tensor(order[s:s + BATCH])
            loss = torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss.detach()) * len(idx)
        curve.append(total / len(order))
    return final_loss(model), curve

def sgd():
    model = network()
    weights = [model[0].weight, model[2].weight]
    counts = np.bincount(y, minlength=10)
    w = torch.tensor(len(y) / (10 * counts))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, foreach=False)
    alpha = 0.5
    curve = []
    for e in range(EPOCHS):
        order, total = perm[e % len(perm)], 0.0
        for s in range(0, len(order), BATCH):
            idx = torch.tensor(order[s:s + BATCH])
            ce = torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx], reduction="none")
            loss = (w[yt[idx]] * ce).sum() / len(idx) + 0.5 * alpha * sum((W * W).sum() for W in weights) / len(idx)
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss.detach()) * len(idx)
        curve.append(total / len(order))
    return final_loss(model), curve

out = {"torch": torch.__version__, "numpy": np.__version__}
for name, run in (("adamw", adamw), ("sgd_l2_class_weights", sgd)):
    loss, curve = run()
    out[name] = {"final_train_ce": loss, "epoch_train_loss": curve}
    print(name, repr(loss), file=sys.stderr)
json.dump(out, open(os.path.join(here, "reference.json"), "w"), indent=1)

#!/usr/bin/env python3
"""Issue 17's defaults check: writes <set>_{train,test}.csv (a 25% split of
train_test_split(random_state=0)) for scikit-learn's wine, breast cancer and
diabetes sets and a 20 k-row make_classification(n_features=40,
n_informative=20, n_classes=5, random_state=0), and prints the held-out accuracy
or R² of StandardScaler + scikit-learn's default MLPClassifier/MLPRegressor for
random_state 0, 1, 2. fnc_defaults.sh scores `fnc train` with no flags on the
same files. (diabetes_{train,test}.csv are committed: the test suite's check.)
  python3 -m venv /tmp/v && /tmp/v/bin/pip install scikit-learn && /tmp/v/bin/python sklearn_defaults.py
"""
import numpy as np, sys
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.metrics import accuracy_score, r2_score
import warnings; warnings.filterwarnings("ignore")
sets = {
 "wine": datasets.load_wine(return_X_y=True),
 "cancer": datasets.load_breast_cancer(return_X_y=True),
 "diabetes": datasets.load_diabetes(return_X_y=True),
 "synth": datasets.make_classification(n_samples=20000, n_features=40, n_informative=20, n_classes=5, random_state=0),
}
for name,(X,y) in sets.items():
    Xtr,Xte,ytr,yte = train_test_split(X,y,test_size=0.25,random_state=0)
    reg = name=="diabetes"
    for fn,(A,b) in {"train":(Xtr,ytr),"test":(Xte,yte)}.items():
        with open(f"{name}_{fn}.csv","w") as f:
            f.write(",".join(f"f{i}" for i in range(A.shape[1]))+",y\n")
            for r,t in zip(A,b):
                f.write(",".join(repr(float(v)) for v in r)+","+(repr(float(t)) if reg else str(int(t)))+"\n")
    scores=[]
    for seed in range(3):
        m = make_pipeline(StandardScaler(), (MLPRegressor if reg else MLPClassifier)(random_state=seed))
        m.fit(Xtr,ytr)
        p = m.predict(Xte)
        scores.append(r2_score(yte,p) if reg else accuracy_score(yte,p))
    print(name, "r2" if reg else "acc", " ".join(f"{s:.4f}" for s in scores), "mean %.4f" % np.mean(scores))

#!/bin/sh
# The exact commands that made this model. Run from this folder with FNC set to
# the fnc binary (scripts/make-models.sh does that); seed 1 throughout.
set -e
"$FNC" train xor_train.csv -o model.fnm --hidden 8 --activation tanh --epochs 200 --lr 0.01 --seed 1 --quiet
"$FNC" compile model.fnm -o model.fnb > compile.txt
"$FNC" eval model.fnb xor_test.csv > metrics.txt

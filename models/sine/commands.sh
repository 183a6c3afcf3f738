#!/bin/sh
# The exact commands that made this model. Run from this folder with FNC set to
# the fnc binary (scripts/make-models.sh does that); seed 1 throughout.
set -e
"$FNC" train sine_train.csv -o model.fnm --hidden 16,16 --activation tanh --lr 0.01 --epochs 300 --patience 30 --seed 1 --quiet
"$FNC" compile model.fnm -o model.fnb > compile.txt
"$FNC" eval model.fnb sine_test.csv > metrics.txt

#!/bin/sh
# The exact commands that made this model. Run from this folder with FNC set to
# the fnc binary (scripts/make-models.sh does that); seed 1 throughout.
set -e
"$FNC" train digits_train.csv -o model.fnm --hidden 32 --seed 1 --curve curve.svg --quiet
"$FNC" compile model.fnm -o model.fnb > compile.txt
"$FNC" eval model.fnb digits_test.csv > metrics.txt
# The same network with narrower weights, each checked against the test split.
"$FNC" compile model.fnm -o model-f16.fnb --weights f16 --report-data digits_test.csv --max-drop 0.1 > compile-f16.txt
"$FNC" compile model.fnm -o model-int8.fnb --weights int8 --report-data digits_test.csv --max-drop 0.5 > compile-int8.txt

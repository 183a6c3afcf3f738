#!/bin/sh
# The exact commands that made this model. Run from this folder with FNC set to
# the fnc binary (scripts/make-models.sh does that); seed 1 throughout.
set -e
"$FNC" train digits_train.csv -o model.fnm --hidden 32 --seed 1 --curve curve.svg --quiet
"$FNC" compile model.fnm -o model.fnb > compile.txt
"$FNC" eval model.fnb digits_test.csv > metrics.txt

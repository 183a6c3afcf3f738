#!/usr/bin/env bash
# Scores `fnc train` with the given flags (none: the defaults) on the files
# sklearn_defaults.py writes, in the current directory:
#   FNC=.build-release/release/fnc fnc_defaults.sh ""
F=${FNC:-fnc}
opts="$1"
line="$opts |"
for d in wine cancer diabetes iris digits synth; do
  lab=""; [[ $d == iris || $d == digits ]] && lab="--label-column label"
  $F train ${d}_train.csv -o /tmp/fnc-defaults-$$.fnm --quiet $opts $lab 2>/dev/null || { line="$line $d FAIL"; continue; }
  $F compile /tmp/fnc-defaults-$$.fnm -o /tmp/fnc-defaults-$$.fnb > /dev/null
  v=$($F eval /tmp/fnc-defaults-$$.fnb ${d}_test.csv $lab | grep -E '^(accuracy|r2)' | awk '{print $2}')
  line="$line $d $v"
done
echo "$line"

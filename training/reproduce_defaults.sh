#!/usr/bin/env bash
# Reproduces the default models in public/models/ from simulator data:
#   training/reproduce_defaults.sh [DATA_DIR]        (default: training/runs/sim)
# 1. generates LeRobot v3.0 datasets with the studio's simulator (train split; held-out split with
#    the held-out colours, shape and phrasings) unless DATA_DIR already holds them;
# 2. trains the planner and the three policies (overlay, concat, flat baseline), exports ONNX + cards;
# 3. evaluates each on the held-out split and writes the metrics into the cards;
# 4. copies them to public/models/.
# Sizes are set for a 2-core machine; TRAIN_EPISODES / PLANNER_STEPS / POLICY_STEPS override them.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-training/runs/sim}
TRAIN_EPISODES=${TRAIN_EPISODES:-500}
HELDOUT_EPISODES=${HELDOUT_EPISODES:-150}
PLANNER_STEPS=${PLANNER_STEPS:-2500}
POLICY_STEPS=${POLICY_STEPS:-500}
OUT=${OUT:-training/runs/models}
PY=/usr/bin/python3
mkdir -p "$DATA" "$OUT"
[ -f "$DATA/train0/meta/info.json" ] || npx tsx sim/src/generate.ts --episodes "$TRAIN_EPISODES" --seed 0 --out "$DATA/train0"
[ -f "$DATA/train1/meta/info.json" ] || npx tsx sim/src/generate.ts --episodes "$TRAIN_EPISODES" --seed 100000 --out "$DATA/train1"
[ -f "$DATA/heldout/meta/info.json" ] || npx tsx sim/src/generate.ts --episodes "$HELDOUT_EPISODES" --seed 900000 --split heldout --out "$DATA/heldout"

# The planner sees both training sets (it needs one sample per episode); policies see every frame of train0.
$PY training/train.py planner --lerobot "$DATA/train0" "$DATA/train1" --out "$OUT/planner" --name path-studio-planner --steps "$PLANNER_STEPS" --batch 32 --seed 0
$PY training/train.py evaluate --model "$OUT/planner" --lerobot "$DATA/heldout"
for mode in overlay concat flat; do
  $PY training/train.py policy --lerobot "$DATA/train0" --mode $mode --out "$OUT/policy-$mode" --name "path-studio-policy-$mode" --steps "$POLICY_STEPS" --batch 32 --seed 0
  $PY training/train.py evaluate --model "$OUT/policy-$mode" --lerobot "$DATA/heldout"
done
for m in planner policy-overlay policy-concat policy-flat; do
  mkdir -p "public/models/$m"
  cp "$OUT/$m/model.onnx" "$OUT/$m/card.json" "public/models/$m/"
done
echo "default models written to public/models/"

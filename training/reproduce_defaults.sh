#!/usr/bin/env bash
# Reproduces the default models in public/models/ from simulator data:
#   training/reproduce_defaults.sh [DATA_DIR]        (default: training/runs/sim)
# 1. generates LeRobot v3.0 datasets with the studio's simulator: 3 × 1,000 training episodes
#    (train split) and 300 held-out episodes (held-out colours, shape and phrasings), unless
#    DATA_DIR already holds them;
# 2. trains the planner (first frame of every episode: 3,000 samples) and the three policies
#    (overlay, concat, flat baseline — the same network, budget and augmentation; every frame of
#    train0 + train1), exports ONNX + cards;
# 3. evaluates each on the held-out split and writes the metrics into the cards;
# 4. copies them to public/models/.
# Closed-loop success is measured separately: `npm run eval` (docs/EVAL.md).
# Sizes are set for a 2-core machine (about 1 h per policy and 15 min for the planner on a loaded machine);
# EPISODES / HELDOUT_EPISODES / PLANNER_STEPS / POLICY_STEPS override them.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-training/runs/sim}
EPISODES=${EPISODES:-1000}
HELDOUT_EPISODES=${HELDOUT_EPISODES:-300}
PLANNER_STEPS=${PLANNER_STEPS:-3000}
POLICY_STEPS=${POLICY_STEPS:-2500}
OUT=${OUT:-training/runs/models}
PY=/usr/bin/python3
mkdir -p "$DATA" "$OUT"
# Seeds: train 0…, 100000…, 200000…; held-out 900000…; `npm run eval` uses 700000… (never trained on).
for i in 0 1 2; do
  [ -f "$DATA/train$i/meta/info.json" ] || npx tsx sim/src/generate.ts --episodes "$EPISODES" --seed $((i * 100000)) --out "$DATA/train$i"
done
[ -f "$DATA/heldout/meta/info.json" ] || npx tsx sim/src/generate.ts --episodes "$HELDOUT_EPISODES" --seed 900000 --split heldout --out "$DATA/heldout"

$PY training/train.py planner --lerobot "$DATA/train0" "$DATA/train1" "$DATA/train2" --out "$OUT/planner" --name path-studio-planner --steps "$PLANNER_STEPS" --batch 32 --seed 0
$PY training/train.py evaluate --model "$OUT/planner" --lerobot "$DATA/heldout"
for mode in overlay concat flat; do
  $PY training/train.py policy --lerobot "$DATA/train0" "$DATA/train1" --mode $mode --out "$OUT/policy-$mode" --name "path-studio-policy-$mode" --steps "$POLICY_STEPS" --batch 64 --seed 0
  $PY training/train.py evaluate --model "$OUT/policy-$mode" --lerobot "$DATA/heldout"
done
for m in planner policy-overlay policy-concat policy-flat; do
  mkdir -p "public/models/$m"
  cp "$OUT/$m/model.onnx" "$OUT/$m/card.json" "public/models/$m/"
done
echo "default models written to public/models/"

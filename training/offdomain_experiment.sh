#!/usr/bin/env bash
# The HAMSTER effect from off-domain data, end to end (docs/EVAL.md, Off-domain experiment):
#   training/offdomain_experiment.sh [RUN_DIR]          (default: training/runs/offdomain)
# 1. data: ROBOT_EPISODES demonstrations of the target simulator (actions + projected paths), the
#    only robot data both models get; off-domain path-only sets (sim:generate --domain offdomain):
#    the look-shifted world with a floating gripper, the same with sketched paths, and with a hand;
# 2. per training seed: the planner on (a) the robot episodes' paths, (b) the off-domain sets only,
#    (c) both; the path-conditioned policy (Live's default recipe: concat, 128², blind to x, y) on
#    the robot episodes; the flat baseline with the planner's text encoding and colour augmentation,
#    the same image size, augmentation and steps, once per FLAT_SWEEP entry (learning rate:width, then
#    ":blind" for one blind to the arm's x, y as the path-conditioned policy is, ":warm" for one whose
#    image and text layers start from the seed's planner (a), trained on the same robot episodes,
#    ":warmc" for one started from planner (c) instead (robot and off-domain paths), ":path" for one that learns each episode's path beside its actions (the planner's target and
#    loss from its own image and text features, weight PATH_AUX; training only));
# 3. synchronous rollouts (sim/src/rollout.ts) of every model, EVAL_EPISODES per task and split
#    (48 per cell at 16), held-out scenes drawn from colour, shape, phrasing, camera and lighting;
# 4. the table with Wilson 95 % intervals and the aims (sim/src/experimentSummary.ts).
# Steps already done (a dataset, a model card, a rollout file) are skipped, so a run can resume.
# Cost on the 2-core machine at the defaults: several hours, mostly the 128² policies (per seed the
# concat policy and one flat baseline per FLAT_SWEEP entry, 20–40 min each) and the
# rollouts (docs/EVAL.md gives the step times measured).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:-training/runs/offdomain}
ROBOT_EPISODES=${ROBOT_EPISODES:-100}
OFFDOMAIN_EPISODES=${OFFDOMAIN_EPISODES:-900}
SEEDS=${SEEDS:-"0 1"}
PLANNER_STEPS=${PLANNER_STEPS:-6000}
POLICY_STEPS=${POLICY_STEPS:-6000}
POLICY_SIZE=${POLICY_SIZE:-128}
# The strongest entry first: the headline comparison is against it.
FLAT_SWEEP=${FLAT_SWEEP:-"2e-3:32:blind:warm 2e-3:32 2e-3:32:blind 2e-3:32:blind:path 2e-3:32:blind:warmc"}
PATH_AUX=${PATH_AUX:-0.5}
EVAL_EPISODES=${EVAL_EPISODES:-16}
MAX_STEPS=${MAX_STEPS:-130}
ROLLOUT_SECONDS=${ROLLOUT_SECONDS:-30}
# What a policy blind to the arm's x, y sees of its state (Live's default policy; a ":blind" flat).
BLIND_STATE=ee.z,gripper
PY=/usr/bin/python3
DATA=$RUN/data MODELS=$RUN/models CELLS=$RUN/cells ROLLOUTS=$RUN/rollouts
mkdir -p "$DATA" "$MODELS" "$CELLS" "$ROLLOUTS"

gen() { [ -f "$DATA/$1/meta/info.json" ] || npx tsx sim/src/generate.ts --out "$DATA/$1" --max-steps "$MAX_STEPS" "${@:2}"; }
genoff() { [ -f "$DATA/$1/export_info.json" ] || npx tsx sim/src/generate.ts --domain offdomain --out "$DATA/$1" --max-steps "$MAX_STEPS" "${@:2}"; }
trained() { [ -f "$MODELS/$1/card.json" ]; }
planner() { # name seed trainer-inputs...
  local name=$1 seed=$2; shift 2
  trained "$name" || $PY training/train.py planner "$@" --out "$MODELS/$name" --name "$name" --steps "$PLANNER_STEPS" --batch 32 \
    --seed "$seed" --threads 2 --text-encoding hashed-bow-rgb-v1 --hue 0.5
}
policy() { # name seed mode extra...
  local name=$1 seed=$2 mode=$3; shift 3
  trained "$name" || $PY training/train.py policy --lerobot "$DATA/robot" --mode "$mode" --out "$MODELS/$name" --name "$name" \
    --steps "$POLICY_STEPS" --batch 64 --seed "$seed" --threads 2 --size "$POLICY_SIZE" "$@"
}
# A folder laid out as rollout.ts --models expects: planner, the default policy, the flat baseline.
cell() { # cell-name planner policy-concat policy-flat: names of trained models, or folders (with a /)
  local dir=$CELLS/$1 role model
  mkdir -p "$dir"
  for role in planner policy-concat policy-flat; do
    shift; model=$1
    [[ $model == */* ]] || model=$MODELS/$model
    ln -sfn "$(realpath "$model")" "$dir/$role"
  done
}
rollout() { # out-name cell condition [rollout.ts options…] (its progress in ROLLOUTS/out-name.log)
  [ -f "$ROLLOUTS/$1.json" ] || npx tsx sim/src/rollout.ts --models "$CELLS/$2" --conditions "$3" --episodes "$EVAL_EPISODES" \
    --splits train,heldout --heldout-axes color,shape,phrase,camera,lighting --max-seconds "$ROLLOUT_SECONDS" --out "$ROLLOUTS/$1.json" \
    "${@:4}" > "$ROLLOUTS/$1.log" 2>&1
}
# Waits until the models exist; gives up when the training side (this script's main process) ended.
await_models() {
  local m
  for m in "$@"; do
    until trained "$m"; do
      kill -0 "$MAIN" 2>/dev/null || { echo "rollouts: $m was never trained" >&2; exit 1; }
      sleep 15
    done
  done
}

# Seeds: robot data 3000000…, off-domain 3100000…–3300000…; rollouts use 700000… as every eval does.
gen robot --episodes "$ROBOT_EPISODES" --seed 3000000 --action-noise 0.05
genoff offdomain-gripper --episodes "$OFFDOMAIN_EPISODES" --seed 3100000 --effector floating_gripper
genoff offdomain-sketch --episodes "$OFFDOMAIN_EPISODES" --seed 3200000 --effector floating_gripper --sketch
genoff offdomain-hand --episodes "$OFFDOMAIN_EPISODES" --seed 3300000 --effector hand
OFFDOMAIN=("$DATA/offdomain-gripper" "$DATA/offdomain-sketch" "$DATA/offdomain-hand")

flat_name() { # lr:width[:blind][:warm|:warmc][:path] seed
  local lr width flags; IFS=: read -r lr width flags <<< "$1"
  echo "flat-lr$lr-w$width${flags:+-${flags//:/-}}-s$2"
}
train_flat() { # lr:width[:blind][:warm|:warmc][:path] seed
  local lr width flags extra=(); IFS=: read -r lr width flags <<< "$1"
  [[ :$flags: == *:blind:* ]] && extra+=(--state-keep "$BLIND_STATE")
  [[ :$flags: == *:warm:* ]] && extra+=(--init-from-planner "$MODELS/planner-a-s$2")
  [[ :$flags: == *:warmc:* ]] && extra+=(--init-from-planner "$MODELS/planner-c-s$2")
  [[ :$flags: == *:path:* ]] && extra+=(--path-aux "$PATH_AUX")
  policy "$(flat_name "$1" "$2")" "$2" flat --lr "$lr" --width "$width" --text-encoding hashed-bow-rgb-v1 --hue 0.5 "${extra[@]}"
}
rollout_flat() { # lr:width[:blind][:warm|:warmc][:path] seed — the flat baseline alone (the cell's planner and concat policy are not used)
  local name; name=$(flat_name "$1" "$2")
  await_models "$name" "planner-a-s$2" "policy-concat-s$2"
  cell "$name" "planner-a-s$2" "policy-concat-s$2" "$name"
  rollout "$name" "$name" flat
}
rollout_shipped() { # seed — the shipped default planner (public/models/planner, trained on thousands of
  # target demonstrations, docs/MODELS.md) with the seed's concat policy: the reference a new default must beat
  await_models "policy-concat-s$1"
  cell "planner-shipped-s$1" public/models/planner "policy-concat-s$1" "policy-concat-s$1"
  rollout "planner-shipped-s$1" "planner-shipped-s$1" hierarchical
}
rollout_expert_path() { # seed — the seed's concat policy given the path the expert's own end effector
  # draws (a perfect planner): what any planner can reach with this policy
  await_models "planner-a-s$1" "policy-concat-s$1"
  cell "planner-a-s$1" "planner-a-s$1" "policy-concat-s$1" "policy-concat-s$1"
  rollout "expert-path-s$1" "planner-a-s$1" hierarchical --path expert
}
rollout_hierarchical() { # a|b|c seed — that planner with the seed's concat policy
  await_models "planner-$1-s$2" "policy-concat-s$2"
  cell "planner-$1-s$2" "planner-$1-s$2" "policy-concat-s$2" "policy-concat-s$2"
  rollout "planner-$1-s$2" "planner-$1-s$2" hierarchical
}

# Per seed, the headline comparison first — planner (b) against the flat baseline — so a run cut
# short still answers it; then (a) and (c), then the rest of the flat sweep. A rollout uses one core
# and training two, so the rollouts run beside the training, one at a time, each as soon as its
# models exist.
MAIN=$$
rollout_queues=()
for s in $SEEDS; do
  sweep=($FLAT_SWEEP)
  (
    rollout_hierarchical b "$s"
    rollout_hierarchical a "$s"
    rollout_flat "${sweep[0]}" "$s"
    rollout_hierarchical c "$s"
    rollout_shipped "$s"
    rollout_expert_path "$s"
    for cfg in "${sweep[@]:1}"; do rollout_flat "$cfg" "$s"; done
  ) &
  rollout_queues+=($!)
  planner "planner-a-s$s" "$s" --lerobot "$DATA/robot"
  planner "planner-b-s$s" "$s" --vila "${OFFDOMAIN[@]}"
  policy "policy-concat-s$s" "$s" concat --state-keep "$BLIND_STATE"
  train_flat "${sweep[0]}" "$s"
  planner "planner-c-s$s" "$s" --lerobot "$DATA/robot" --vila "${OFFDOMAIN[@]}"
  for cfg in "${sweep[@]:1}"; do train_flat "$cfg" "$s"; done
done
for q in "${rollout_queues[@]}"; do wait "$q"; done
npx tsx sim/src/experimentSummary.ts "$ROLLOUTS"/*.json | tee "$RUN/summary.md"

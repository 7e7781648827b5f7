/**
 * The off-domain experiment's table (training/offdomain_experiment.sh, docs/EVAL.md): rollout files
 * named `<model>-s<seed>.json` (sim/src/rollout.ts --out) become success per model and split, the
 * training seeds pooled, with Wilson 95 % intervals, per held-out axis, and the aims checked.
 *
 *   npx tsx sim/src/experimentSummary.ts RUN/rollouts/*.json
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { instructionHeldoutAxes, type RolloutResult } from './rollout.ts';
import type { TaskKind } from './scene/types.ts';
import { wilsonInterval } from './wilson.ts';

export interface RolloutFile {
  /** The file name: `<model>-s<seed>.json`. */
  name: string;
  results: RolloutResult[];
}

export interface Cell {
  successes: number;
  n: number;
}

export interface ModelRow {
  model: string;
  seeds: number;
  cells: Record<string, Cell>;
}

export const COLUMNS = ['in distribution', 'held-out', 'colour', 'shape', 'phrasing', 'camera', 'lighting'] as const;

function columnsOf(r: RolloutResult): string[] {
  if (r.split === 'train') return ['in distribution'];
  const axes = r.heldoutAxis === 'camera' || r.heldoutAxis === 'lighting' ? [r.heldoutAxis] : instructionHeldoutAxes(r.instruction);
  return ['held-out', ...axes];
}

/** The model and training seed a rollout file is of, from its name (`<model>-s<seed>.json`). */
function modelOf(f: RolloutFile): { model: string; seed: string } {
  const m = /^(.*)-s(\d+)\.json$/.exec(basename(f.name));
  return m ? { model: m[1], seed: m[2] } : { model: basename(f.name, '.json'), seed: '0' };
}

/** One row per model (files of its seeds pooled), in the order first seen. */
export function summarize(files: RolloutFile[]): ModelRow[] {
  const rows = new Map<string, ModelRow & { seedSet: Set<string> }>();
  for (const f of files) {
    const { model, seed } = modelOf(f);
    const row = rows.get(model) ?? { model, seeds: 0, cells: {}, seedSet: new Set<string>() };
    row.seedSet.add(seed);
    row.seeds = row.seedSet.size;
    for (const r of f.results) {
      for (const c of columnsOf(r)) {
        const cell = (row.cells[c] ??= { successes: 0, n: 0 });
        cell.n++;
        if (r.success) cell.successes++;
      }
    }
    rows.set(model, row);
  }
  return [...rows.values()].map(({ seedSet: _, ...row }) => row);
}

const pct = (x: number) => `${Math.round(100 * x)}`;
export function formatCell(c: Cell | undefined): string {
  if (!c?.n) return '—';
  const w = wilsonInterval(c.successes, c.n);
  return `${pct(w.rate)} % [${pct(w.low)}–${pct(w.high)}] (${c.successes}/${c.n})`;
}

const rate = (c: Cell | undefined) => (c?.n ? c.successes / c.n : NaN);

/**
 * The issue's aims: the hierarchical model with the off-domain-only planner (`planner-b`) at least
 * 20 points above the best flat baseline held out, and the planner on both (`planner-c`) at least
 * as good as the target-only one (`planner-a`) held out.
 */
export function aims(rows: ModelRow[]): string[] {
  const find = (name: string) => rows.find((r) => r.model === name);
  const flats = rows.filter((r) => r.model.startsWith('flat'));
  const bestFlat = flats.sort((x, y) => rate(y.cells['in distribution']) - rate(x.cells['in distribution']))[0];
  const out: string[] = [];
  const b = find('planner-b'), a = find('planner-a'), c = find('planner-c');
  if (b && bestFlat) {
    const gap = 100 * (rate(b.cells['held-out']) - rate(bestFlat.cells['held-out']));
    out.push(`planner-b − best flat (${bestFlat.model}, chosen by in-distribution success), held-out: ${gap.toFixed(0)} points (aim ≥ 20: ${gap >= 20 ? 'met' : `missed by ${(20 - gap).toFixed(0)}`})`);
  }
  if (a && c) {
    const gap = 100 * (rate(c.cells['held-out']) - rate(a.cells['held-out']));
    out.push(`planner-c − planner-a, held-out: ${gap.toFixed(0)} points (aim ≥ 0: ${gap >= 0 ? 'met' : `missed by ${(-gap).toFixed(0)}`})`);
  }
  if (bestFlat) {
    const inDist = 100 * rate(bestFlat.cells['in distribution']);
    out.push(`best flat baseline in distribution: ${inDist.toFixed(0)} % (aim ≥ 50: ${inDist >= 50 ? 'met' : 'missed — find out why before comparing'})`);
  }
  return out;
}

const TASKS: [TaskKind, string][] = [['pick_place', 'pick-and-place'], ['press_button', 'press-button'], ['knock_down', 'knock-down']];

/**
 * Where the success comes from, per model: each task's successes by split (seeds pooled), and for
 * pick-and-place how far from the object, across the table, the gripper first closed — far means
 * the model went to the wrong place, near means it got there (a grasp closes 5–7 cm above the
 * object's centre, so height is left out).
 */
export function taskTable(files: RolloutFile[]): string {
  const rows = new Map<string, RolloutResult[]>();
  for (const f of files) {
    const { model } = modelOf(f);
    rows.set(model, [...(rows.get(model) ?? []), ...f.results]);
  }
  const count = (rs: RolloutResult[]) => `${rs.filter((r) => r.success).length}/${rs.length}`;
  const head = `| model | ${TASKS.map(([, label]) => `${label}: in distribution / held-out`).join(' | ')} | pick-and-place, first close: median distance from the object across the table; how many within 3 cm |\n|${' --- |'.repeat(TASKS.length + 2)}`;
  const lines = [...rows].map(([model, rs]) => {
    const cells = TASKS.map(([task]) => {
      const of = rs.filter((r) => r.task === task);
      return `${count(of.filter((r) => r.split === 'train'))} / ${count(of.filter((r) => r.split === 'heldout'))}`;
    });
    const firstCloses = rs.filter((r) => r.task === 'pick_place' && r.closes.length).map((r) => Math.hypot(r.closes[0].offset[0], r.closes[0].offset[1]));
    const closes = firstCloses.length
      ? `${(100 * median(firstCloses)).toFixed(1)} cm; ${firstCloses.filter((d) => d <= 0.03).length} of ${firstCloses.length} within 3 cm`
      : 'never closed';
    return `| ${model} | ${cells.join(' | ')} | ${closes} |`;
  });
  return [head, ...lines].join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function table(rows: ModelRow[]): string {
  const head = `| model | seeds | ${COLUMNS.join(' | ')} |\n|${' --- |'.repeat(COLUMNS.length + 2)}`;
  return [head, ...rows.map((r) => `| ${r.model} | ${r.seeds} | ${COLUMNS.map((c) => formatCell(r.cells[c])).join(' | ')} |`)].join('\n');
}

if (process.argv[1]?.endsWith('experimentSummary.ts')) {
  const files = process.argv.slice(2).map((name) => ({ name, results: (JSON.parse(readFileSync(name, 'utf8')) as { results: RolloutResult[] }).results }));
  if (!files.length) {
    console.error('usage: npx tsx sim/src/experimentSummary.ts RUN/rollouts/*.json');
    process.exit(2);
  }
  const rows = summarize(files);
  console.log(`Success, Wilson 95 % intervals, training seeds pooled\n\n${table(rows)}\n\nPer task, training seeds pooled\n\n${taskTable(files)}\n`);
  for (const line of aims(rows)) console.log(line);
}

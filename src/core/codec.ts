/**
 * HAMSTER's text answer format (docs/PATH_FORMAT.md, Text codec):
 * `<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>`.
 *
 * The gripper rules (docs/PATH_FORMAT.md, "Gripper rules"), shared with HAMSTER's `process_answer`
 * (HAMSTER_beta, `gradio_server_example.py`) wherever they can be:
 * - a tag applies to the point before it and to every point after it, up to the next tag;
 * - the state before the first point is the opposite of the first tag's (first tag Close → starts
 *   open, first tag Open → starts closed); with no tag at all it is open. HAMSTER's parser always
 *   starts closed, so the two readings agree on every text whose first tag is Open; on a
 *   Close-first text HAMSTER marks the points before the first Close closed too;
 * - `formatPath` never writes a tag before the first point (HAMSTER's parser raises `IndexError`
 *   on one) and writes one tag after each point where the state changes, so every text it writes
 *   parses in HAMSTER's parser with the same grasp and release points.
 *
 * `parsePath` is a small hand-written scanner (never `eval`, never throws) that accepts what real
 * models emit and reports every liberty it took as a warning. The rules are listed in
 * docs/PATH_FORMAT.md; the error and warning codes are the `ParseErrorCode` / `ParseWarningCode`
 * unions below.
 */
import type { GripperState, Path, Waypoint } from './path';

export interface FormatOptions {
  /** Digits after the decimal point (default 2, as HAMSTER's training data). */
  decimals?: number;
}

const CLOSE_TAG = '<action>Close Gripper</action>';
const OPEN_TAG = '<action>Open Gripper</action>';
const tagFor = (state: GripperState) => (state === 'closed' ? CLOSE_TAG : OPEN_TAG);

function formatNumber(v: number, decimals: number): string {
  const text = v.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text; // never print "-0.00"
}

/**
 * Formats a path as a HAMSTER answer: a tag after each point where the gripper changes, never one
 * before the first point. Reading the text back (`parsePath`) gives the same path, with one
 * exception the format cannot express: a path that starts closed and never opens is written with a
 * Close tag after its first point (every point stays closed, for HAMSTER too), and reads back as
 * starting open with the grasp at the first point.
 */
export function formatPath(path: Path, { decimals = 2 }: FormatOptions = {}): string {
  const items: string[] = [];
  let state = path.initialGripper;
  // Without a tag a text reads as starting open: a path closed throughout marks its first point Close.
  const neverOpens = state === 'closed' && path.points.every((p) => p.gripper === 'closed');
  path.points.forEach((p, i) => {
    items.push(`(${formatNumber(p.x, decimals)}, ${formatNumber(p.y, decimals)})`);
    if (p.gripper !== state || (i === 0 && neverOpens)) items.push(tagFor(p.gripper));
    state = p.gripper;
  });
  return `<ans>[${items.join(', ')}]</ans>`;
}

/**
 * How coordinates are scaled: `normalized` expects [0, 1]; `thousand` divides by 1000 (the 0–1000
 * integer grid some VLMs use); `auto` uses [0, 1] unless some coordinate is above 1 and all lie in
 * [0, 1000], in which case it divides by 1000 and warns `assumed_thousand_scale`.
 */
export type CoordinateScale = 'normalized' | 'thousand' | 'auto';

export interface ParseOptions {
  coordinates?: CoordinateScale;
  /**
   * Gripper state of an answer without any known action tag (default `open`). With a tag, the state
   * before the first point is the opposite of the first tag's and this option is not used.
   */
  initialGripper?: GripperState;
  /** Longer inputs are refused with `too_long` (default 100 000 characters). */
  maxLength?: number;
}

export type ParseErrorCode =
  | 'empty' // nothing but whitespace
  | 'too_long' // longer than maxLength
  | 'no_points' // no complete (x, y) tuple found
  | 'malformed_tuple' // inside <ans>: a bracketed group that is not two numbers
  | 'out_of_range'; // a coordinate far outside [0, 1] after scaling (|excess| > 0.5)

export type ParseWarningCode =
  | 'missing_ans_tags' // no <ans>: the whole text was scanned
  | 'unclosed_ans' // <ans> without </ans>
  | 'multiple_answers' // more than one <ans> block: the first was used
  | 'truncated' // the text ends inside a tuple or before the closing bracket: complete points kept
  | 'ignored_text' // outside <ans> tags: a bracketed group that is not a point was skipped
  | 'unknown_action' // an <action> that is neither open nor close: ignored
  | 'leading_action' // an action before the first point (HAMSTER's parser raises on it): it acts at the first point
  | 'redundant_action' // an action that does not change the state
  | 'assumed_thousand_scale' // `auto` chose the 0–1000 grid
  | 'clamped'; // a coordinate slightly outside [0, 1] was clamped

export interface ParseIssue<C extends string> {
  code: C;
  message: string;
  /** Character offset in the input text, where it helps. */
  offset?: number;
}
export type ParseError = ParseIssue<ParseErrorCode>;
export type ParseWarning = ParseIssue<ParseWarningCode>;

export type ParseResult = { ok: true; path: Path; warnings: ParseWarning[] } | { ok: false; error: ParseError };

/** How far outside [0, 1] a coordinate may stray and still be clamped rather than refused. */
const CLAMP_MARGIN = 0.5;
const MAX_WARNINGS = 50;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ANS_OPEN = /<\s*ans\s*>/gi;
const ANS_CLOSE = /<\s*\/\s*ans\s*>/i;

interface RawPoint {
  x: number;
  y: number;
  offset: number;
  /** null until the first tag says what the state before it was. */
  gripper: GripperState | null;
}

const opposite = (state: GripperState): GripperState => (state === 'open' ? 'closed' : 'open');

/** Reads an action's wording: close/grasp/grip → closed, open/release → open, otherwise null. */
function actionState(words: string): GripperState | null {
  const w = words.toLowerCase();
  if (/\b(open|release|ungrasp)/.test(w)) return 'open';
  if (/\b(close|grasp|grip|grab|pick)/.test(w)) return 'closed';
  return null;
}

/** Parses a HAMSTER answer into a path. Never throws. */
export function parsePath(text: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnsafe(text, options);
  } catch (e) {
    // Defensive only: the scanner is not expected to throw.
    return { ok: false, error: { code: 'no_points', message: `could not parse the answer: ${String(e)}` } };
  }
}

function parseUnsafe(text: string, options: ParseOptions): ParseResult {
  const { coordinates = 'normalized', initialGripper = 'open', maxLength = 100_000 } = options;
  const warnings: ParseWarning[] = [];
  const fail = (code: ParseErrorCode, message: string, offset?: number): ParseResult => ({
    ok: false,
    error: offset === undefined ? { code, message } : { code, message, offset },
  });
  const warn = (code: ParseWarningCode, message: string, offset?: number) => {
    // Garbage can hold thousands of skipped groups; a few warnings say enough.
    if (warnings.length < MAX_WARNINGS) warnings.push(offset === undefined ? { code, message } : { code, message, offset });
  };

  if (typeof text !== 'string' || text.trim() === '') return fail('empty', 'the answer is empty');
  if (text.length > maxLength) return fail('too_long', `the answer has ${text.length} characters, more than ${maxLength}`);

  // 1. The region to scan: the first <ans> block, else the whole text.
  let start = 0;
  let end = text.length;
  let regionClosed = false;
  const opens = [...text.matchAll(ANS_OPEN)];
  const tagged = opens.length > 0;
  if (tagged) {
    start = opens[0].index + opens[0][0].length;
    const close = ANS_CLOSE.exec(text.slice(start));
    if (close) {
      end = start + close.index;
      regionClosed = true;
    } else {
      warn('unclosed_ans', '<ans> is never closed by </ans>', opens[0].index);
    }
    if (opens.length > 1) warn('multiple_answers', `${opens.length} <ans> blocks: using the first`, opens[1].index);
  } else {
    warn('missing_ans_tags', 'no <ans> tag: scanned the whole text');
  }

  // 2. Scan points and action tags, left to right.
  const points: RawPoint[] = [];
  // The state in force; null before the first known tag (the start state is read from that tag).
  let state: GripperState | null = null;
  let leading: GripperState = initialGripper;
  let listOpened = false;
  let listClosed = false;
  let cutMidTuple = false;
  let i = start;
  while (i < end) {
    const ch = text[i];
    // A point is "(x, y)", or "[x, y]" inside the outer list.
    const isPairBracket = ch === '(' || (ch === '[' && listOpened && /^\[\s*[-+.\d]/.test(text.slice(i, Math.min(end, i + 40))));
    if (isPairBracket) {
      const closer = ch === '(' ? ')' : ']';
      // Walk to the closer; an opening bracket or tag first means this group is broken.
      let stop = i + 1;
      while (stop < end && text[stop] !== closer && text[stop] !== '(' && text[stop] !== '[' && text[stop] !== '<') stop++;
      if (stop >= end) {
        cutMidTuple = true; // the region ends inside this group
        break;
      }
      if (text[stop] !== closer) {
        const problem = nonPoint(text.slice(i, stop), i);
        if (problem) return problem;
        i = stop;
        continue;
      }
      const parts = text.slice(i + 1, stop).split(',').map((part) => part.trim());
      if (parts.length === 2 && NUMBER.test(parts[0]) && NUMBER.test(parts[1])) {
        points.push({ x: Number(parts[0]), y: Number(parts[1]), offset: i, gripper: state });
      } else {
        const problem = nonPoint(text.slice(i, stop + 1), i);
        if (problem) return problem;
      }
      i = stop + 1;
    } else if (ch === '[') {
      listOpened = true;
      i++;
    } else if (ch === ']') {
      listClosed ||= listOpened;
      i++;
    } else if (ch === '<') {
      const tag = /^<\s*action\s*>([^<]*)(?:<\s*\/?\s*action\s*>)?/i.exec(text.slice(i, end));
      if (tag) applyAction(tag[1], i);
      i += tag ? tag[0].length : 1;
    } else {
      i++;
    }
  }

  function nonPoint(group: string, offset: number): ParseResult | null {
    if (tagged) return fail('malformed_tuple', `expected a point "(x, y)" but found "${group.slice(0, 40)}"`, offset);
    warn('ignored_text', `skipped "${group.slice(0, 40)}": not a point`, offset);
    return null;
  }

  function applyAction(words: string, offset: number): void {
    const next = actionState(words);
    if (!next) {
      warn('unknown_action', `ignored unknown action "${words.trim()}"`, offset);
      return;
    }
    if (state === null) {
      // The first tag: the path started in the other state, up to the point this tag acts at.
      leading = opposite(next);
      for (const p of points) p.gripper = leading;
      if (points.length === 0) warn('leading_action', `"${words.trim()}" comes before the first point (HAMSTER's parser cannot read that): read as acting at the first point`, offset);
    } else if (next === state) {
      warn('redundant_action', `"${words.trim()}" does not change the gripper state`, offset);
    }
    state = next;
    if (points.length > 0) points[points.length - 1].gripper = next; // a tag acts at the point before it
  }

  if (points.length === 0) {
    return fail('no_points', cutMidTuple ? 'the answer was cut off before its first complete point' : 'no (x, y) point found in the answer');
  }
  if (cutMidTuple || (!regionClosed && listOpened && !listClosed)) {
    warn('truncated', `the answer is cut off: kept the ${points.length} complete point(s)`, end);
  }

  // 3. Scale, then range-check: refuse far-off values, clamp near misses.
  let divisor = coordinates === 'thousand' ? 1000 : 1;
  if (coordinates === 'auto') {
    const values = points.flatMap((p) => [p.x, p.y]);
    if (values.some((v) => v > 1) && values.every((v) => v >= 0 && v <= 1000)) {
      divisor = 1000;
      warn('assumed_thousand_scale', 'coordinates above 1: read them on the 0–1000 grid');
    }
  }
  const waypoints: Waypoint[] = [];
  for (const p of points) {
    const x = p.x / divisor;
    const y = p.y / divisor;
    for (const v of [x, y]) {
      if (v < -CLAMP_MARGIN || v > 1 + CLAMP_MARGIN) {
        const hint = coordinates === 'normalized' && v > 1 && v <= 1000 ? " (it looks like 0–1000 coordinates: parse with coordinates: 'thousand' or 'auto')" : '';
        return fail('out_of_range', `coordinate ${v} is outside [0, 1]${hint}`, p.offset);
      }
    }
    const cx = Math.min(1, Math.max(0, x));
    const cy = Math.min(1, Math.max(0, y));
    if (cx !== x || cy !== y) warn('clamped', `point (${x}, ${y}) clamped into [0, 1]`, p.offset);
    waypoints.push({ x: cx, y: cy, gripper: p.gripper ?? leading });
  }
  return { ok: true, path: { initialGripper: leading, points: waypoints }, warnings };
}

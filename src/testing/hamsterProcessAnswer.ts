/**
 * A test oracle: HAMSTER's own answer parser, ported to TypeScript so tests can check that the
 * studio's texts read the same there. Ported from HAMSTER_beta's `gradio_server_example.py`:
 * `process_answer` (the parser) and the `re.search(r"<ans>(.*?)</ans>", …, re.DOTALL)` in
 * `process_image_and_quest` (the answer's region). Written from reading that code, step for step:
 *
 *   1. every `<action>Close Gripper</action>` becomes `(1000.0, 1000.0)`, every
 *      `<action>Open Gripper</action>` `(1001.0, 1001.0)` (exact text, Python's `str.replace`);
 *   2. the text is `eval`ed;
 *   3. `action_flag = 0` (GRIPPER_CLOSE); for each element `x, y = point`: the Close marker sets
 *      the flag to 0 and `processed_points[-1][-1] = 0`, the Open marker sets it to 1 (GRIPPER_OPEN)
 *      and `processed_points[-1][-1] = 1` — an `IndexError` when no point came before; any other
 *      element is appended as `[x, y, action_flag]`.
 *
 * Python's `eval` is replaced by a reader of the literals HAMSTER's texts hold (numbers, tuples,
 * lists, `...`); anything else throws `NotALiteral` (eval might accept some of it, so a test that
 * sees that error learns only that the text is outside what the oracle can judge). Exceptions are
 * raised where Python raises them, named after Python's: IndexError, TypeError, ValueError,
 * SyntaxError, AttributeError (no `<ans>…</ans>`: `re.search` returned None).
 *
 * Beside the points, `actions` records where each marker acted (`processed_points[-1]`'s index and
 * the flag it set) — the grasp and release points as HAMSTER's parser places them.
 */

export const HAMSTER_GRIPPER_CLOSE = 0;
export const HAMSTER_GRIPPER_OPEN = 1;

export class PythonError extends Error {
  constructor(readonly pythonType: 'IndexError' | 'TypeError' | 'ValueError' | 'SyntaxError' | 'AttributeError' | 'NotALiteral', message: string) {
    super(`${pythonType}: ${message}`);
    this.name = pythonType;
  }
}

export interface HamsterParse {
  /** `[x, y, flag]` as `process_answer` returns them; flag 0 = closed, 1 = open. */
  points: [number, number, number][];
  /** Each action marker: the index of the point it set and the flag it set there. */
  actions: { index: number; flag: number }[];
}

/** `re.search(r"<ans>(.*?)</ans>", text, re.DOTALL).group(1)`. */
export function hamsterAnswerRegion(responseText: string): string {
  const m = /<ans>([\s\S]*?)<\/ans>/.exec(responseText);
  if (!m) throw new PythonError('AttributeError', "'NoneType' object has no attribute 'group'");
  return m[1];
}

/** `process_answer(input_str)`, with the action markers it applied. */
export function hamsterProcessAnswer(inputStr: string): HamsterParse {
  const text = inputStr.split('<action>Close Gripper</action>').join('(1000.0, 1000.0)').split('<action>Open Gripper</action>').join('(1001.0, 1001.0)');
  const keypoints = evalLiteral(text);
  if (!isSequence(keypoints)) throw new PythonError('TypeError', `'${typeName(keypoints)}' object is not iterable`);
  const points: [number, number, number][] = [];
  const actions: { index: number; flag: number }[] = [];
  let actionFlag = HAMSTER_GRIPPER_CLOSE;
  for (const point of keypoints.items) {
    if (!isSequence(point)) throw new PythonError('TypeError', `cannot unpack non-iterable ${typeName(point)} object`);
    if (point.items.length !== 2)
      throw new PythonError('ValueError', point.items.length > 2 ? 'too many values to unpack (expected 2)' : `not enough values to unpack (expected 2, got ${point.items.length})`);
    const [x, y] = point.items;
    // Python compares a tuple or Ellipsis to 1000.0 as unequal; numbers by value.
    const marker = typeof x === 'number' && x === y ? (x === 1000 ? HAMSTER_GRIPPER_CLOSE : x === 1001 ? HAMSTER_GRIPPER_OPEN : null) : null;
    if (marker !== null) {
      actionFlag = marker;
      if (points.length === 0) throw new PythonError('IndexError', 'list index out of range');
      points[points.length - 1][2] = actionFlag;
      actions.push({ index: points.length - 1, flag: actionFlag });
      continue;
    }
    if (typeof x !== 'number' || typeof y !== 'number') throw new PythonError('NotALiteral', 'a point holds something other than two numbers (the oracle does not model that)');
    points.push([x, y, actionFlag]);
  }
  return { points, actions };
}

// ---- a reader for Python literals: numbers, tuples, lists, Ellipsis -----------------------------

type PyValue = number | 'Ellipsis' | PySequence;
interface PySequence {
  kind: 'list' | 'tuple';
  items: PyValue[];
}
const isSequence = (v: PyValue): v is PySequence => typeof v === 'object';
function typeName(v: PyValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return v === 'Ellipsis' ? 'ellipsis' : v.kind;
}

const PY_NUMBER = /^[+-]*(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?/;

function evalLiteral(source: string): PyValue {
  let i = 0;
  const syntax = (what: string): never => {
    throw new PythonError('SyntaxError', `${what} at character ${i}`);
  };
  // An operator, a call, a name…: Python may evaluate it or raise; the oracle does not model it.
  const beyond = (): never => {
    throw new PythonError('NotALiteral', `"${source.slice(i, i + 20)}" at character ${i} is not part of a literal of numbers, tuples, lists or ... (the oracle reads only those)`);
  };
  // Inside brackets newlines are whitespace; outside, a newline ends the expression.
  const skip = (newlines: boolean) => {
    while (i < source.length && (source[i] === ' ' || source[i] === '\t' || (newlines && (source[i] === '\n' || source[i] === '\r')))) i++;
  };
  const value = (depth: number): PyValue => {
    skip(depth > 0);
    const ch = source[i];
    if (ch === '[' || ch === '(') {
      const close = ch === '[' ? ']' : ')';
      i++;
      const items: PyValue[] = [];
      let sawComma = false;
      for (;;) {
        skip(true);
        if (source[i] === close) {
          i++;
          break;
        }
        if (i >= source.length) syntax(`'${ch}' was never closed`);
        items.push(value(depth + 1));
        skip(true);
        if (source[i] === ',') {
          sawComma = true;
          i++;
        } else if (source[i] === ')' || source[i] === ']') {
          if (source[i] !== close) syntax(`closing parenthesis '${source[i]}' does not match opening parenthesis '${ch}'`);
        } else if (i < source.length) beyond();
      }
      // "(x)" is x itself; "(x,)" and "()" are tuples.
      if (ch === '(' && items.length === 1 && !sawComma) return items[0];
      return { kind: ch === '[' ? 'list' : 'tuple', items };
    }
    if (source.startsWith('...', i)) {
      i += 3;
      return 'Ellipsis';
    }
    const m = PY_NUMBER.exec(source.slice(i));
    if (m) {
      i += m[0].length;
      const digits = m[0].replace(/^[+-]*/, '').replace(/_/g, '');
      if (/^0+[1-9]\d*$/.test(digits)) syntax('leading zeros in decimal integer literals are not permitted'); // "01" (but "00" and "0.5" are fine)
      const negative = (/^[+-]*/.exec(m[0])![0].split('-').length - 1) % 2 === 1;
      return negative ? -Number(digits) : Number(digits);
    }
    if (i >= source.length) syntax('unexpected end of the text');
    if (')],<>='.includes(source[i])) syntax(`unexpected '${source[i]}'`); // no Python expression starts so
    return beyond();
  };
  // At the top level "a, b" is a tuple, as in Python; leading blank lines and spaces are skipped.
  skip(true);
  const first = value(0);
  skip(false);
  let result: PyValue = first;
  if (source[i] === ',') {
    const items = [first];
    while (source[i] === ',') {
      i++;
      skip(false);
      if (i >= source.length || source[i] === '\n') break;
      items.push(value(0));
      skip(false);
    }
    result = { kind: 'tuple', items };
  }
  skip(true);
  if (source[i] === ')' || source[i] === ']') syntax(`unmatched '${source[i]}'`);
  if (i < source.length) beyond();
  return result;
}

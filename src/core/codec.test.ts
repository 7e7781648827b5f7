import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hamsterAnswerRegion, hamsterProcessAnswer } from '../testing/hamsterProcessAnswer';
import { sharedFixture } from '../testing/sharedFixtures';
import { formatPath, parsePath, type ParseOptions, type ParseResult } from './codec';
import { gripperChangeIndices, type GripperState, type Path } from './path';

const open = 'open' as const;
const closed = 'closed' as const;

function ok(result: ParseResult): Extract<ParseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}
const xy = (r: ParseResult) => ok(r).path.points.map((p) => [p.x, p.y]);
const grippers = (r: ParseResult) => ok(r).path.points.map((p) => p.gripper);
const warningCodes = (r: ParseResult) => ok(r).warnings.map((w) => w.code);
const errorCode = (r: ParseResult) => (r.ok ? 'ok' : r.error.code);

describe('formatPath', () => {
  it('formats the HAMSTER answer example exactly', () => {
    const path: Path = {
      initialGripper: open,
      points: [
        { x: 0.25, y: 0.32, gripper: open },
        { x: 0.32, y: 0.17, gripper: closed },
        { x: 0.74, y: 0.21, gripper: open },
      ],
    };
    expect(formatPath(path)).toBe('<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>');
  });

  it('never writes a tag first: a closed start is said by the first tag being Open; honours decimals', () => {
    const path: Path = { initialGripper: closed, points: [{ x: 0.123456, y: 1, gripper: closed }, { x: 0, y: 0.5, gripper: open }] };
    expect(formatPath(path, { decimals: 3 })).toBe('<ans>[(0.123, 1.000), (0.000, 0.500), <action>Open Gripper</action>]</ans>');
  });

  it('a path closed throughout gets a Close tag after its first point (it reads back as a grasp there)', () => {
    const path: Path = { initialGripper: closed, points: [{ x: 0.1, y: 0.1, gripper: closed }, { x: 0.2, y: 0.2, gripper: closed }] };
    const text = formatPath(path);
    expect(text).toBe('<ans>[(0.10, 0.10), <action>Close Gripper</action>, (0.20, 0.20)]</ans>');
    expect(ok(parsePath(text)).path).toEqual({ ...path, initialGripper: open });
    // The same text as a path that starts open and grasps at its first point.
    expect(formatPath({ ...path, initialGripper: open })).toBe(text);
  });

  it('formats an empty path and never prints negative zero', () => {
    expect(formatPath({ initialGripper: open, points: [] })).toBe('<ans>[]</ans>');
    expect(formatPath({ initialGripper: open, points: [{ x: -0.001, y: 0.5, gripper: open }] })).toBe('<ans>[(0.00, 0.50)]</ans>');
  });

  it('round-trips through parsePath', () => {
    const path: Path = {
      initialGripper: closed,
      points: [
        { x: 0.11, y: 0.22, gripper: closed },
        { x: 0.33, y: 0.44, gripper: open },
        { x: 0.55, y: 0.66, gripper: open },
        { x: 0.77, y: 0.88, gripper: closed },
      ],
    };
    const parsed = ok(parsePath(formatPath(path)));
    expect(parsed.path).toEqual(path);
    expect(parsed.warnings).toEqual([]);
  });
});

/**
 * Answers shaped like what HAMSTER's VILA model, general VLMs (GPT-4o, Gemini, Qwen2.5-VL) and
 * truncated generations produce. Each row: name, text, options, expected points, grippers, warnings.
 */
const accepted: [string, string, ParseOptions, number[][], string[], string[]][] = [
  ['HAMSTER canonical', '<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>', {}, [[0.25, 0.32], [0.32, 0.17], [0.74, 0.21]], [open, closed, open], []],
  ['HAMSTER prompt example order (Open first: starts closed)', '<ans>[(0.25, 0.32), (0.32, 0.17), (0.13, 0.24), <action>Open Gripper</action>, (0.74, 0.21), <action>Close Gripper</action>]</ans>', {}, [[0.25, 0.32], [0.32, 0.17], [0.13, 0.24], [0.74, 0.21]], [closed, closed, open, closed], []],
  ['a repeated tag changes nothing', '<ans>[(0.1, 0.1), <action>Close Gripper</action>, (0.2, 0.2), <action>Close Gripper</action>, (0.3, 0.3)]</ans>', {}, [[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]], [closed, closed, closed], ['redundant_action']],
  ['no spaces', '<ans>[(0.1,0.2),(0.3,0.4),<action>Close Gripper</action>,(0.5,0.6)]</ans>', {}, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [open, closed, closed], []],
  ['newlines and indentation', '<ans>[\n  (0.10, 0.20),\n  (0.30, 0.40),\n  <action>Close Gripper</action>,\n  (0.50, 0.60)\n]</ans>', {}, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [open, closed, closed], []],
  ['prose around the answer', 'Sure! To pick up the cup, the gripper should move as follows:\n<ans>[(0.4, 0.5), <action>Close Gripper</action>, (0.6, 0.2)]</ans>\nLet me know if you need anything else.', {}, [[0.4, 0.5], [0.6, 0.2]], [closed, closed], []],
  ['think step by step then answer', 'First, locate the apple at (about the center). Then move it to the bowl.\n<ans>[(0.52, 0.48), <action>Close Gripper</action>, (0.70, 0.30), <action>Open Gripper</action>]</ans>', {}, [[0.52, 0.48], [0.7, 0.3]], [closed, open], []],
  ['missing <ans> tags', '[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21)]', {}, [[0.25, 0.32], [0.32, 0.17], [0.74, 0.21]], [open, closed, closed], ['missing_ans_tags']],
  ['missing tags, prose with a parenthesis', 'The path (in normalized coordinates) is [(0.1, 0.9), (0.5, 0.5)].', {}, [[0.1, 0.9], [0.5, 0.5]], [open, open], ['missing_ans_tags', 'ignored_text']],
  ['markdown code fence', '```\n<ans>[(0.2, 0.3), (0.4, 0.5)]</ans>\n```', {}, [[0.2, 0.3], [0.4, 0.5]], [open, open], []],
  ['integers', '<ans>[(0, 1), (1, 0)]</ans>', {}, [[0, 1], [1, 0]], [open, open], []],
  ['leading action acts at the first point', '<ans>[<action>Close Gripper</action>, (0.2, 0.2), (0.5, 0.5), <action>Open Gripper</action>]</ans>', {}, [[0.2, 0.2], [0.5, 0.5]], [closed, open], ['leading_action']],
  ['lowercase action tags', '<ans>[(0.2, 0.2), <action>close gripper</action>, (0.5, 0.5), <action>open gripper</action>]</ans>', {}, [[0.2, 0.2], [0.5, 0.5]], [closed, open], []],
  ['uppercase tags and padded words', '<ANS>[(0.2, 0.2), <ACTION> Close Gripper </ACTION>, (0.5, 0.5)]</ANS>', {}, [[0.2, 0.2], [0.5, 0.5]], [closed, closed], []],
  ['variant action wording', '<ans>[(0.2, 0.2), <action>Grasp</action>, (0.5, 0.5), <action>Release</action>]</ans>', {}, [[0.2, 0.2], [0.5, 0.5]], [closed, open], []],
  ['closing tag without slash', '<ans>[(0.2, 0.2), <action>Close Gripper<action>, (0.5, 0.5)]</ans>', {}, [[0.2, 0.2], [0.5, 0.5]], [closed, closed], []],
  ['unknown action ignored', '<ans>[(0.2, 0.2), <action>Rotate Wrist</action>, (0.5, 0.5)]</ans>', {}, [[0.2, 0.2], [0.5, 0.5]], [open, open], ['unknown_action']],
  ['truncated mid-tuple', '<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.2', {}, [[0.25, 0.32], [0.32, 0.17]], [open, closed], ['unclosed_ans', 'truncated']],
  ['truncated after a comma', '<ans>[(0.25, 0.32), (0.32, 0.17), ', {}, [[0.25, 0.32], [0.32, 0.17]], [open, open], ['unclosed_ans', 'truncated']],
  ['truncated inside an action tag', '<ans>[(0.25, 0.32), <action>Close Gri', {}, [[0.25, 0.32]], [closed], ['unclosed_ans', 'truncated']],
  ['missing closing bracket but closed ans', '<ans>[(0.25, 0.32), (0.5, 0.5)</ans>', {}, [[0.25, 0.32], [0.5, 0.5]], [open, open], []],
  ['0-1000 grid when asked', '<ans>[(250, 320), (740, 210)]</ans>', { coordinates: 'thousand' }, [[0.25, 0.32], [0.74, 0.21]], [open, open], []],
  ['auto detects the 0-1000 grid', '<ans>[(250, 320), <action>Close Gripper</action>, (740, 210)]</ans>', { coordinates: 'auto' }, [[0.25, 0.32], [0.74, 0.21]], [closed, closed], ['assumed_thousand_scale']],
  ['auto keeps normalized values', '<ans>[(0.25, 0.32), (0.74, 1)]</ans>', { coordinates: 'auto' }, [[0.25, 0.32], [0.74, 1]], [open, open], []],
  ['square-bracket pairs (JSON style)', '<ans>[[0.1, 0.2], [0.3, 0.4]]</ans>', {}, [[0.1, 0.2], [0.3, 0.4]], [open, open], []],
  ['slightly out of range is clamped', '<ans>[(-0.02, 0.5), (1.03, 0.5)]</ans>', {}, [[0, 0.5], [1, 0.5]], [open, open], ['clamped', 'clamped']],
  ['many decimals and exponent', '<ans>[(0.123456789, 5e-1), (.5, +0.25)]</ans>', {}, [[0.123456789, 0.5], [0.5, 0.25]], [open, open], []],
  ['two answers: the first wins', '<ans>[(0.1, 0.1)]</ans> or maybe <ans>[(0.9, 0.9)]</ans>', {}, [[0.1, 0.1]], [open], ['multiple_answers']],
  ['caller initial state for an untagged answer', '<ans>[(0.1, 0.1), (0.2, 0.2)]</ans>', { initialGripper: closed }, [[0.1, 0.1], [0.2, 0.2]], [closed, closed], []],
  ['caller initial state unused when a tag says it', '<ans>[(0.1, 0.1), (0.2, 0.2), <action>Close Gripper</action>]</ans>', { initialGripper: closed }, [[0.1, 0.1], [0.2, 0.2]], [open, closed], []],
  ['single point', '<ans>[(0.5, 0.5)]</ans>', {}, [[0.5, 0.5]], [open], []],
  ['spaces inside the ans tag', '< ans >[(0.5, 0.5), (0.6, 0.6)]< / ans >', {}, [[0.5, 0.5], [0.6, 0.6]], [open, open], []],
  ['tuple without the outer list', '<ans>(0.1, 0.2), (0.3, 0.4)</ans>', {}, [[0.1, 0.2], [0.3, 0.4]], [open, open], []],
  ['ellipsis copied from the prompt', '<ans>[(0.1, 0.2), (0.3, 0.4), ...]</ans>', {}, [[0.1, 0.2], [0.3, 0.4]], [open, open], []],
];

describe('parsePath accepts real-world answers', () => {
  it.each(accepted)('%s', (_name, text, options, points, states, warnings) => {
    const result = parsePath(text, options);
    expect(xy(result)).toEqual(points);
    expect(grippers(result)).toEqual(states);
    expect(warningCodes(result)).toEqual(warnings);
  });

});

/** HAMSTER's flag for a state: 0 = GRIPPER_CLOSE, 1 = GRIPPER_OPEN. */
const flag = (state: GripperState) => (state === closed ? 0 : 1);
const firstTag = (text: string) => /<action>(Open|Close) Gripper<\/action>/.exec(text)?.[1] ?? null;

/**
 * Reads `text` with the studio and with HAMSTER's parser (the oracle in src/testing) and checks the
 * agreement the rules promise: the same points, each tag acting at the same point, the same state
 * at every point from the first tag on, and before it the same state unless the first tag is
 * Close (HAMSTER starts closed; the studio reads a Close-first text as starting open).
 */
function expectHamsterAgrees(text: string) {
  const studio = ok(parsePath(text)).path;
  const hamster = hamsterProcessAnswer(hamsterAnswerRegion(text)); // throws where HAMSTER raises
  expect(hamster.points.map(([x, y]) => [x, y])).toEqual(studio.points.map((p) => [p.x, p.y]));
  expect(hamster.actions.map((a) => [a.index, a.flag])).toEqual(gripperChangeIndices(studio).map((i) => [i, flag(studio.points[i].gripper)]));
  const firstAction = hamster.actions[0]?.index ?? hamster.points.length;
  const expected = studio.points.map((p, i) => (i < firstAction && firstTag(text) !== 'Open' ? 0 : flag(p.gripper)));
  expect(hamster.points.map((p) => p[2])).toEqual(expected);
  return { studio, hamster };
}

describe('gripper rules (shared with HAMSTER where they can be)', () => {
  const states = (text: string) => {
    const { path } = ok(parsePath(text));
    return [path.initialGripper, ...path.points.map((p) => p.gripper)];
  };

  it('a tag applies to the point before it and to every point after it', () => {
    expect(states('<ans>[(0.1, 0.1), (0.2, 0.2), <action>Close Gripper</action>, (0.3, 0.3), (0.4, 0.4), <action>Open Gripper</action>, (0.5, 0.5)]</ans>'))
      .toEqual([open, open, closed, closed, open, open]);
  });

  it('the state before the first point is the opposite of the first tag\'s; open without a tag', () => {
    expect(states('<ans>[(0.1, 0.1), <action>Close Gripper</action>, (0.2, 0.2)]</ans>')).toEqual([open, closed, closed]);
    expect(states('<ans>[(0.1, 0.1), (0.2, 0.2), <action>Open Gripper</action>]</ans>')).toEqual([closed, closed, open]);
    expect(states('<ans>[(0.1, 0.1), (0.2, 0.2)]</ans>')).toEqual([open, open, open]);
  });

  it('agrees with HAMSTER\'s parser on every state of a text whose first tag is Open', () => {
    const { hamster } = expectHamsterAgrees('<ans>[(0.25, 0.32), (0.32, 0.17), (0.13, 0.24), <action>Open Gripper</action>, (0.74, 0.21), <action>Close Gripper</action>, (0.5, 0.5)]</ans>');
    expect(hamster.points.map((p) => p[2])).toEqual([0, 0, 1, 0, 0]);
  });

  it('reads a pick path as meant; HAMSTER marks the points before the first Close closed', () => {
    const text = '<ans>[(0.2, 0.8), (0.35, 0.45), <action>Close Gripper</action>, (0.7, 0.3), (0.75, 0.6), <action>Open Gripper</action>]</ans>';
    expect(states(text)).toEqual([open, open, closed, closed, open]);
    expect(expectHamsterAgrees(text).hamster.points.map((p) => p[2])).toEqual([0, 0, 0, 1]);
  });

  it('still reads a leading tag (HAMSTER raises IndexError on it): it acts at the first point', () => {
    const text = '<ans>[<action>Close Gripper</action>, (0.2, 0.2), (0.5, 0.5)]</ans>';
    expect(() => hamsterProcessAnswer(hamsterAnswerRegion(text))).toThrow(/IndexError/);
    const result = ok(parsePath(text));
    expect([result.path.initialGripper, ...grippers(result)]).toEqual([open, closed, closed]);
    expect(warningCodes(result)).toEqual(['leading_action']);
  });
});

describe('every text the studio writes reads the same in HAMSTER\'s parser', () => {
  /** A waypoint at two decimals, so that the text written at two decimals reads back exactly. */
  const pt = (x: number, y: number, gripper: GripperState) => ({ x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100, gripper });
  const paths: [string, Path][] = [
    ['open start, pick and place', { initialGripper: open, points: [pt(0.1, 0.9, open), pt(0.3, 0.5, closed), pt(0.6, 0.3, closed), pt(0.8, 0.4, open)] }],
    ['closed start, released later', { initialGripper: closed, points: [pt(0.1, 0.1, closed), pt(0.4, 0.4, closed), pt(0.5, 0.5, open), pt(0.9, 0.9, open)] }],
    ['release at the first point', { initialGripper: closed, points: [pt(0.1, 0.1, open), pt(0.4, 0.4, open), pt(0.5, 0.5, closed)] }],
    ['grasp at the first point', { initialGripper: open, points: [pt(0.1, 0.1, closed), pt(0.4, 0.4, closed)] }],
    ['no events, open', { initialGripper: open, points: [pt(0.05, 0.95, open), pt(0.95, 0.05, open)] }],
    ['no events, closed throughout', { initialGripper: closed, points: [pt(0.05, 0.95, closed), pt(0.5, 0.5, closed), pt(0.95, 0.05, closed)] }],
    ['many events', { initialGripper: open, points: Array.from({ length: 12 }, (_, i) => pt(i / 11, (i * 7) % 11 / 11, i % 3 === 1 || i % 3 === 2 && i > 6 ? closed : open)) }],
    ['a change at every point', { initialGripper: closed, points: Array.from({ length: 6 }, (_, i) => pt(0.1 * i, 0.5, i % 2 ? closed : open)) }],
    ['single point', { initialGripper: open, points: [pt(0.5, 0.5, open)] }],
    ['single point, closed', { initialGripper: closed, points: [pt(0.5, 0.5, closed)] }],
  ];

  it.each(paths)('%s', (_name, path) => {
    const text = formatPath(path);
    expect(text).toMatch(/^<ans>\[\(/); // never a tag first
    const { studio, hamster } = expectHamsterAgrees(text);
    const closedThroughout = path.initialGripper === closed && path.points.every((p) => p.gripper === closed);
    // The studio reads back what it wrote; HAMSTER finds the grasp and release points the path has.
    expect(studio).toEqual(closedThroughout ? { ...path, initialGripper: open } : path);
    if (!closedThroughout) expect(hamster.actions.map((a) => a.index)).toEqual(gripperChangeIndices(path));
    else expect(hamster.points.map((p) => p[2])).toEqual(path.points.map(() => 0)); // closed everywhere, for HAMSTER too
  });

  it('an empty path is an empty list, which HAMSTER reads as no points', () => {
    expect(hamsterProcessAnswer(hamsterAnswerRegion(formatPath({ initialGripper: closed, points: [] }))).points).toEqual([]);
  });

  it('holds for random paths at 1 to 4 decimals', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      let state: GripperState = next() < 0.5 ? open : closed;
      const initialGripper = state;
      const points = Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
        if (next() < 0.3) state = state === open ? closed : open;
        return pt(next(), next(), state);
      });
      const text = formatPath({ initialGripper, points }, { decimals: 1 + Math.floor(next() * 4) });
      expect(text).toMatch(/^<ans>\[\(/);
      expectHamsterAgrees(text);
    }
  });
});

const overlayFixture = sharedFixture('hamster-overlay');

describe.skipIf(!overlayFixture.present)('parsePath on the answers of the HAMSTER reference fixtures', () => {
  const cases: { name: string; answer: string; points_xy_gripper: [number, number, number][] }[] = overlayFixture.present
    ? JSON.parse(readFileSync(overlayFixture.path('cases.json'), 'utf8'))
    : [];

  it.each(cases.map((c) => [c.name, c] as const))('%s: the points HAMSTER parsed, states as the rules say', (_name, c) => {
    const result = ok(parsePath(c.answer));
    expect(result.warnings).toEqual([]);
    expect(hamsterProcessAnswer(hamsterAnswerRegion(c.answer)).points).toEqual(c.points_xy_gripper); // the oracle, on HAMSTER's own output
    expectHamsterAgrees(c.answer);
  });
});

const refused: [string, unknown, ParseOptions, string][] = [
  ['empty', '', {}, 'empty'],
  ['whitespace', '  \n\t ', {}, 'empty'],
  ['not a string', undefined, {}, 'empty'],
  ['prose only', 'I cannot see a robot in this image.', {}, 'no_points'],
  ['empty list', '<ans>[]</ans>', {}, 'no_points'],
  ['cut before the first point', '<ans>[(0.2', {}, 'no_points'],
  ['three numbers in a tuple', '<ans>[(0.1, 0.2, 0.3)]</ans>', {}, 'malformed_tuple'],
  ['words in a tuple', '<ans>[(left, top)]</ans>', {}, 'malformed_tuple'],
  ['python code injection', '<ans>[__import__("os").system("rm -rf /")]</ans>', {}, 'malformed_tuple'],
  ['0-1000 grid without the option', '<ans>[(250, 320), (740, 210)]</ans>', {}, 'out_of_range'],
  ['far negative', '<ans>[(-3, 0.5)]</ans>', {}, 'out_of_range'],
  ['beyond the 0-1000 grid', '<ans>[(1600, 320)]</ans>', { coordinates: 'thousand' }, 'out_of_range'],
  ['too long', `<ans>[${'(0.1, 0.1), '.repeat(20)}]</ans>`, { maxLength: 100 }, 'too_long'],
];

describe('parsePath refuses garbage with a clear error', () => {
  it.each(refused)('%s', (_name, text, options, code) => {
    const result = parsePath(text as string, options);
    expect(errorCode(result)).toBe(code);
    if (!result.ok) expect(result.error.message.length).toBeGreaterThan(5);
  });

  it('points at the offending tuple and hints at the 0-1000 grid', () => {
    const text = '<ans>[(0.1, 0.2), (0.3 0.4)]</ans>';
    const result = parsePath(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.offset).toBe(text.indexOf('(0.3'));
    const grid = parsePath('<ans>[(250, 320)]</ans>');
    expect(grid.ok === false && grid.error.message).toContain("'thousand'");
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = '<>()[],. 0123456789-eE/ansactiopClose Gripper\n';
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: next() % 80 }, () => alphabet[next() % alphabet.length]).join('');
      const result = parsePath(text, { coordinates: 'auto' });
      expect(typeof result.ok).toBe('boolean');
      if (result.ok) expect(result.path.points.every((p) => p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1)).toBe(true);
    }
  });
});

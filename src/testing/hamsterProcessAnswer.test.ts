import { describe, expect, it } from 'vitest';
import { hamsterAnswerRegion, hamsterProcessAnswer } from './hamsterProcessAnswer';

const run = (text: string) => hamsterProcessAnswer(hamsterAnswerRegion(text));

describe('the HAMSTER process_answer oracle behaves as the Python function', () => {
  it('starts closed; a tag sets the point before it and what follows', () => {
    expect(run('<ans>[(0.1, 0.2), (0.3, 0.4), <action>Open Gripper</action>, (0.5, 0.6), <action>Close Gripper</action>]</ans>')).toEqual({
      points: [[0.1, 0.2, 0], [0.3, 0.4, 1], [0.5, 0.6, 0]],
      actions: [{ index: 1, flag: 1 }, { index: 2, flag: 0 }],
    });
    expect(run('<ans>[(0.1, 0.2)]</ans>').points).toEqual([[0.1, 0.2, 0]]);
  });

  it('reads Python literals: ints, exponents, signs, trailing commas, newlines inside brackets, a bare tuple list', () => {
    expect(run('<ans>\n[(0, 1), (5e-1, -+-.25),\n (1., 0.5,),]</ans>').points).toEqual([[0, 1, 0], [0.5, 0.25, 0], [1, 0.5, 0]]);
    expect(run('<ans>(0.1, 0.2), (0.3, 0.4)</ans>').points).toEqual([[0.1, 0.2, 0], [0.3, 0.4, 0]]);
  });

  it.each([
    ['a tag before the first point', '<ans>[<action>Close Gripper</action>, (0.1, 0.2)]</ans>', 'IndexError'],
    ['no <ans> block', '[(0.1, 0.2)]', 'AttributeError'],
    ['three numbers', '<ans>[(0.1, 0.2, 0.3)]</ans>', 'ValueError'],
    ['the prompt example\'s ellipsis', '<ans>[(0.1, 0.2), ...]</ans>', 'TypeError'],
    ['a single tuple', '<ans>(0.1, 0.2)</ans>', 'TypeError'],
    ['cut off', '<ans>[(0.1, 0.2), (0.3</ans>', 'SyntaxError'],
    ['unmatched bracket', '<ans>[(0.1, 0.2)]]</ans>', 'SyntaxError'],
    ['leading zero', '<ans>[(01, 0.2)]</ans>', 'SyntaxError'],
    ['a lowercase tag (not replaced)', '<ans>[(0.1, 0.2), <action>close gripper</action>]</ans>', 'SyntaxError'],
    ['a call (outside what the oracle models)', '<ans>[(0.1, 0.2)(0.3, 0.4)]</ans>', 'NotALiteral'],
  ])('%s raises %s', (_name, text, error) => {
    expect(() => run(text)).toThrow(new RegExp(`^${error}`));
  });
});

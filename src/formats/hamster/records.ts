/**
 * One HAMSTER / VILA SFT record in LLaVA conversation form (docs/EXPORT.md, HAMSTER / VILA SFT zip):
 * `{id, image, conversations: [{from: "human", value: "<image>\n" + prompt}, {from: "gpt", value: "<ans>[...]</ans>"}]}`.
 */
import { formatPath } from '../../core/codec';
import type { Path } from '../../core/path';
import { HAMSTER_PROMPT_LINES } from '../../core/prompt';
import { simplifyPath } from '../../core/simplify';

export interface SftRecord {
  id: string;
  image: string;
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
}

/** HAMSTER's own prompt as a template; `{instruction}` marks where the task goes. */
export const DEFAULT_PROMPT_TEMPLATE = HAMSTER_PROMPT_LINES.join('\n');

export interface RecordOptions {
  decimals: number;
  /** RDP ε in normalized coordinates; null keeps every point. */
  simplifyEpsilon: number | null;
  promptTemplate: string;
}

export function checkPromptTemplate(template: string): string | null {
  if (!template.includes('{instruction}')) return 'The prompt template must contain {instruction} where the task goes.';
  return null;
}

/** The prompt for one instruction; the instruction is kept on one line (as `hamsterPrompt`). */
export function fillPrompt(template: string, instruction: string): string {
  const quest = instruction.trim().replace(/\s*[\r\n]+\s*/g, ' ');
  return template.replaceAll('{instruction}', () => quest);
}

export function sftRecord(id: string, image: string, instruction: string, path: Path, o: RecordOptions): SftRecord {
  const exported = o.simplifyEpsilon === null ? path : simplifyPath(path, o.simplifyEpsilon);
  return {
    id,
    image,
    conversations: [
      { from: 'human', value: '<image>\n' + fillPrompt(o.promptTemplate, instruction) },
      { from: 'gpt', value: formatPath(exported, { decimals: o.decimals }) },
    ],
  };
}

/** Reads the instruction back from a prompt made with `template` (null when it does not match). */
export function instructionFromPrompt(prompt: string, template = DEFAULT_PROMPT_TEMPLATE): string | null {
  const text = prompt.replace(/^<image>\s*\n?/, '');
  const [before, after] = template.split('{instruction}', 2);
  if (after !== undefined && text.startsWith(before)) {
    // The rest of the template after the first {instruction} (later copies, if any, repeat it).
    const tail = after.split('{instruction}')[0];
    const end = tail ? text.indexOf(tail, before.length) : text.length;
    if (end >= before.length) return text.slice(before.length, end);
  }
  const quest = /<quest>([\s\S]*?)<\/quest>/.exec(text);
  return quest ? quest[1].trim() : null;
}

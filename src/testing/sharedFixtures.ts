/**
 * Files written by other projects live beside the repository in `../shared/fixtures/` (CI has
 * them; a fresh clone does not). Tests that read them ask here first and skip, with one line
 * naming the absent folder, when it is not there — never fail with ENOENT.
 *
 *   const so101 = sharedFixture('lerobot-so101-v3');
 *   describe.skipIf(!so101.present)('…', () => { … readFileSync(so101.path('meta/info.json')) … });
 *   test.skip(!so101.present, so101.skipReason);   // Playwright
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>/../shared/fixtures`, wherever the test runs from. */
export const SHARED_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');

export interface SharedFixture {
  readonly present: boolean;
  /** The folder itself, or a file inside it. */
  path(...parts: string[]): string;
  readonly skipReason: string;
}

const reported = new Set<string>();

export function sharedFixture(name: string): SharedFixture {
  const root = join(SHARED_FIXTURES, name);
  const present = existsSync(root);
  const skipReason = `skipped: ../shared/fixtures/${name} is absent (CI has it; clone the shared folder beside the repository to run these tests)`;
  if (!present && !reported.has(name)) {
    reported.add(name);
    console.warn(skipReason);
  }
  return { present, path: (...parts) => join(root, ...parts), skipReason };
}

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultEntry, type BuiltinIndex } from './builtinIndex';

describe('the shipped models index', () => {
  const index = JSON.parse(readFileSync('public/models/index.json', 'utf8')) as BuiltinIndex;

  it('marks exactly one default per role, and each default is a model of that role', () => {
    for (const role of ['planner', 'policy'] as const) {
      expect(index.models.filter((e) => e.role === role && e.default)).toHaveLength(1);
      const entry = defaultEntry(index, role)!;
      const card = JSON.parse(readFileSync(`public/models/${entry.dir}/card.json`, 'utf8')) as { role: string };
      expect(card.role).toBe(role);
      expect(existsSync(`public/models/${entry.dir}/model.onnx`)).toBe(true);
    }
  });

  it('has no default for a role nobody marked', () => {
    expect(defaultEntry({ models: [{ id: 'p', dir: 'p', role: 'policy' }] }, 'policy')).toBeUndefined();
  });
});

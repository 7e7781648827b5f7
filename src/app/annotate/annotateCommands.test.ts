import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatBinding } from '../../core/commands';
import { CommandRegistry } from '../../core/commands';
import { editorCommands } from '../../editor/commands';
import { annotateCommands } from './annotateCommands';

const annotateRegistry = new CommandRegistry([...editorCommands, ...annotateCommands]);

describe('Annotate commands', () => {
  it('build one registry without ambiguous keys, with the issue’s default bindings', () => {
    const keysOf = (id: string) => annotateRegistry.get(id)?.keys;
    expect(keysOf('sample.next')).toEqual(['F']);
    expect(keysOf('sample.previous')).toEqual(['D']);
    expect(keysOf('sample.newPath')).toEqual(['N']);
    expect(keysOf('editor.toggleGripper')).toEqual(['G']);
    expect(keysOf('editor.deletePoint')).toContain('Delete');
    expect(keysOf('sample.markDone')).toEqual(['Mod+Enter']);
    expect(keysOf('editor.redo')).toEqual(['Mod+Shift+Z', 'Mod+Y']);
    expect(keysOf('ui.help')).toEqual(['F1', '?']);
  });

  it('are all listed, with their keys, in docs/ANNOTATE.md', () => {
    const guide = readFileSync(new URL('../../../docs/ANNOTATE.md', import.meta.url), 'utf8');
    for (const command of annotateRegistry.list()) {
      const row = `| ${command.keys.map((k) => '`' + formatBinding(k) + '`').join(' / ')} | ${command.label} |`;
      expect(guide, `docs/ANNOTATE.md should have the row: ${row}`).toContain(row);
    }
  });
});

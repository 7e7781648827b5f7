import { describe, expect, it, vi } from 'vitest';
import { bindingOfEvent, CommandRegistry, formatBinding, KeyConflictError, normalizeBinding, type Command } from './commands';
import { editorCommands } from '../editor/commands';

type Ctx = { count: number };
const command = (id: string, keys: string[], extra: Partial<Command<Ctx>> = {}): Command<Ctx> => ({
  id,
  label: id,
  keys,
  group: 'Test',
  enabled: () => true,
  run: (ctx) => void ctx.count++,
  ...extra,
});

describe('key bindings', () => {
  it('normalizes modifiers and key names', () => {
    expect(normalizeBinding('ctrl+shift+z')).toBe('Mod+Shift+Z');
    expect(normalizeBinding('Cmd+Y')).toBe('Mod+Y');
    expect(normalizeBinding('Mod++')).toBe('Mod++');
    expect(normalizeBinding('+')).toBe('+');
    expect(normalizeBinding('Del')).toBe('Delete');
    expect(() => normalizeBinding('Hyper+K')).toThrow(/unknown modifier/);
  });

  it('reads events the same way, dropping Shift from symbols but not from letters', () => {
    expect(bindingOfEvent({ key: 'z', ctrlKey: true })).toBe('Mod+Z');
    expect(bindingOfEvent({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('Mod+Shift+Z');
    expect(bindingOfEvent({ key: 'z', metaKey: true })).toBe('Mod+Z');
    expect(bindingOfEvent({ key: '?', shiftKey: true })).toBe('?');
    expect(bindingOfEvent({ key: 'F', shiftKey: true })).toBe('Shift+F');
    expect(bindingOfEvent({ key: ' ' })).toBe('Space');
    expect(bindingOfEvent({ key: 'Enter', ctrlKey: true })).toBe('Mod+Enter');
    expect(bindingOfEvent({ key: 'я', code: 'KeyZ', ctrlKey: true })).toBe('Mod+Z'); // Russian layout
    expect(bindingOfEvent({ key: 'é', code: 'Digit2' })).toBe('É'); // a real character stays itself
  });

  it('formats bindings for people', () => {
    expect(formatBinding('Mod+Shift+Z')).toBe('Ctrl+Shift+Z');
    expect(formatBinding('Mod+Z', true)).toBe('⌘Z');
    expect(formatBinding('+')).toBe('+');
  });
});

describe('CommandRegistry', () => {
  it('refuses two commands on the same key, however the binding is spelled', () => {
    expect(() => new CommandRegistry([command('a', ['Ctrl+Z']), command('b', ['mod+z'])])).toThrow(/Ambiguous key binding Mod\+Z: both "a" and "b"/);
  });

  it('refuses a duplicate id', () => {
    expect(() => new CommandRegistry([command('a', ['A']), command('a', ['B'])])).toThrow(/registered twice/);
  });

  it('runs the bound command when enabled and reports it', () => {
    const registry = new CommandRegistry([command('next', ['F']), command('off', ['D'], { enabled: () => false })]);
    const ctx = { count: 0 };
    expect(registry.dispatchKey(ctx, { key: 'f' })?.id).toBe('next');
    expect(registry.dispatchKey(ctx, { key: 'd' })).toBeNull();
    expect(registry.dispatchKey(ctx, { key: 'x' })).toBeNull();
    expect(ctx.count).toBe(1);
  });

  it('leaves plain keys to text fields but lets chosen commands through', () => {
    const run = vi.fn();
    const registry = new CommandRegistry<Ctx>([command('next', ['F']), command('done', ['Mod+Enter'], { inTextFields: true, run })]);
    const ctx = { count: 0 };
    expect(registry.dispatchKey(ctx, { key: 'f' }, { inTextField: true })).toBeNull();
    expect(registry.dispatchKey(ctx, { key: 'Enter', ctrlKey: true }, { inTextField: true })?.id).toBe('done');
    expect(run).toHaveBeenCalledOnce();
  });

  it('applies a keymap: chosen keys replace the defaults, under the same conflict rule', () => {
    const registry = new CommandRegistry([command('next', ['F']), command('previous', ['D'])], { next: ['ctrl+j', '→'] });
    expect(registry.get('next')?.keys).toEqual(['Mod+J', 'ArrowRight']);
    const ctx = { count: 0 };
    expect(registry.dispatchKey(ctx, { key: 'f' })).toBeNull();
    expect(registry.dispatchKey(ctx, { key: 'j', ctrlKey: true })?.id).toBe('next');
    expect(registry.dispatchKey(ctx, { key: 'ArrowRight' })?.id).toBe('next');
    const conflict = (() => { try { new CommandRegistry([command('next', ['F']), command('previous', ['D'])], { next: ['D'] }); } catch (e) { return e; } })();
    expect(conflict).toBeInstanceOf(KeyConflictError);
    expect(conflict).toMatchObject({ binding: 'D', owner: { id: 'next' }, claimant: { id: 'previous' } });
  });

  it('keeps a locked command\'s keys whatever the keymap says, and no other command can take them', () => {
    const estop = command('estop', ['Escape'], { locked: true });
    expect(new CommandRegistry([estop], { estop: ['X'] }).get('estop')?.keys).toEqual(['Escape']);
    expect(() => new CommandRegistry([estop, command('cancel', ['F'])], { cancel: ['Esc'] })).toThrow(/Escape: both "estop" and "cancel"/);
  });

  it('builds from the editor commands without conflicts', () => {
    const registry = new CommandRegistry(editorCommands);
    expect(registry.list().length).toBe(editorCommands.length);
    expect(registry.get('editor.redo')?.keys).toEqual(['Mod+Shift+Z', 'Mod+Y']);
  });
});

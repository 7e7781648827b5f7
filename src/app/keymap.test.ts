import { beforeEach, describe, expect, it } from 'vitest';
import { installMemoryLocalStorage } from '../testing/memoryLocalStorage';

installMemoryLocalStorage();
const { currentKeymap, keymapFallback, keymapProblem, resetKeymap, saveKeymap, SCREENS, screenRegistry } = await import('./keymap');

beforeEach(() => resetKeymap());

describe('the one keymap', () => {
  it('builds every screen from its defaults without a key meaning two things', () => {
    for (const screen of Object.keys(SCREENS) as (keyof typeof SCREENS)[]) {
      expect(keymapFallback(screen)).toBeNull();
      expect(screenRegistry(screen).list().length).toBe(SCREENS[screen].commands.length);
    }
  });

  it('puts the e-stop first on the Live console, locked on Esc and Space', () => {
    const [first, second] = screenRegistry('live').list();
    expect([first.id, first.keys, first.locked]).toEqual(['live.estop', ['Escape'], true]);
    expect([second.id, second.keys, second.locked]).toEqual(['live.estopSpace', ['Space'], true]);
    saveKeymap({ 'live.estop': ['X'] });
    expect(screenRegistry('live').get('live.estop')?.keys).toEqual(['Escape']);
  });

  it('refuses a choice that gives a key two meanings, naming both commands and the screen', () => {
    expect(keymapProblem({ 'sample.next': ['D'] })).toBe('Annotate: D would do two things — “Next sample” and “Previous sample”. Choose another key for one of them.');
    expect(keymapProblem({ 'live.takeOver': ['W'] })).toMatch(/^Live: W would do two things — “Take over from the model \/ hand back” and “Teleop \(hold\)/);
    expect(() => saveKeymap({ 'video.track': ['Space'] })).toThrow(/^Video import: Space would do two things/);
    expect(currentKeymap()).toEqual({});
  });

  it('saves a choice, rebuilds the screens with it and keeps it in this browser', () => {
    saveKeymap({ 'sample.next': ['j'], 'video.playPause': ['k', 'Space'] });
    expect(screenRegistry('annotate').commandForKey({ key: 'j' })?.id).toBe('sample.next');
    expect(screenRegistry('annotate').commandForKey({ key: 'f' })).toBeUndefined();
    expect(screenRegistry('video').get('video.playPause')?.keys).toEqual(['K', 'Space']);
    expect(JSON.parse(localStorage.getItem('path-studio.keymap')!)).toEqual({ 'sample.next': ['J'], 'video.playPause': ['K', 'Space'] });
  });
});

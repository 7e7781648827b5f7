import { afterEach, describe, expect, it, vi } from 'vitest';
import { automationRequested, exposeForAutomation } from './automation';

const w = globalThis as unknown as Record<string, unknown> & { window?: unknown; location?: unknown };

describe('exposeForAutomation', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  });

  it('exposes nothing in a build that did not ask for it (npm start)', () => {
    vi.stubEnv('VITE_PATH_STUDIO_AUTOMATION', '');
    vi.stubGlobal('window', w);
    vi.stubGlobal('location', { search: '' });
    expect(automationRequested()).toBe(false);
    exposeForAutomation('__pathStudioProbe', { a: 1 })();
    expect('__pathStudioProbe' in w).toBe(false);
  });

  it('exposes the object in an automation build, and takes it away again', () => {
    vi.stubEnv('VITE_PATH_STUDIO_AUTOMATION', '1');
    vi.stubGlobal('window', w);
    const value = { a: 1 };
    const unexpose = exposeForAutomation('__pathStudioProbe', value);
    expect(w.__pathStudioProbe).toBe(value);
    unexpose();
    expect('__pathStudioProbe' in w).toBe(false);
  });

  it('?automation in the address asks for it in any build', () => {
    vi.stubEnv('VITE_PATH_STUDIO_AUTOMATION', '');
    vi.stubGlobal('location', { search: '?automation' });
    expect(automationRequested()).toBe(true);
  });
});

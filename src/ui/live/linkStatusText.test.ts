import { describe, expect, it } from 'vitest';
import { linkStatusText } from './LinkStatusPill';

describe('link status text', () => {
  const base = { url: 'ws://robot:9090', since: 0 };
  it('counts down to the next attempt and names the reason', () => {
    expect(linkStatusText({ ...base, state: 'reconnecting', attempt: 2, error: 'the robot closed the connection', nextRetryAt: 1500 }, 1000).text)
      .toBe('Connection lost — the robot closed the connection. Retrying in 0.5 s (attempt 2)');
  });
  it('says it is reconnecting while an attempt is under way, with no empty reason and no 0.0 s', () => {
    const { text } = linkStatusText({ ...base, state: 'reconnecting', attempt: 1 }, 1000);
    expect(text).toBe('Connection lost. Reconnecting now (attempt 1)…');
  });
});

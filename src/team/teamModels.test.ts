// @vitest-environment node
/**
 * Models shared through the team server (scripts/teamServer.mjs as its own process): the first one
 * only by a server admin (it makes the models database, with the team's rules), then by any member;
 * the same graph stored once; listed and fetched byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../storage/hash';
import { fetchAs, startTeamServer, type TeamServerProcess } from '../testing/teamServerProcess';
import { MODELS_DB, TeamServer, type ModelToShare } from './server';
import { DESIGN_DOC_ID } from './validate';

const USERS = { lead: 'lead-pw', ann: 'ann-pw' };
let server: TeamServerProcess;
let dir = '';
const as = (name: keyof typeof USERS): typeof fetch => fetchAs(`${name}:${USERS[name]}`);

async function model(name: string, bytes: string, role: 'planner' | 'policy' = 'planner'): Promise<ModelToShare> {
  const onnx = new Blob([bytes], { type: 'application/octet-stream' });
  return { sha256: await sha256Hex(onnx), name, role, card: { name, inputs: [{ name: 'image', shape: [1, 3, 96, 96] }] }, onnx };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'path-studio-models-'));
  server = await startTeamServer({ dir, admin: `lead:${USERS.lead}`, users: [`ann:${USERS.ann}:annotator`], origins: ['http://localhost:5173'] });
}, 60_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('team models', () => {
  it('the first is shared by a server admin, then by anyone; listed and fetched byte for byte; the same graph once', async () => {
    const lead = new TeamServer(server.url, as('lead')), ann = new TeamServer(server.url, as('ann'));
    expect(await ann.models()).toEqual([]);
    const first = await model('lab-planner', 'graph bytes 1');
    await expect(ann.shareModel(first, 'ann')).rejects.toThrow(/Only a server admin can share the team's first model/);
    expect(await lead.shareModel(first, 'lead')).toBe(true);
    expect(await lead.shareModel(first, 'lead')).toBe(false); // the same bytes: already there
    const rules = await (await as('lead')(`${server.url}${MODELS_DB}/${DESIGN_DOC_ID}`)).json() as { validate_doc_update?: string };
    expect(rules.validate_doc_update).toMatch(/^function/);

    const second = await model('ann-policy', 'graph bytes 22', 'policy');
    expect(await ann.shareModel(second, 'ann')).toBe(true);
    // Every change is signed: nobody shares in another's name.
    await expect(ann.shareModel(await model('forged', 'graph bytes 333'), 'lead')).rejects.toThrow(/changedBy must be ann/);

    const listed = await ann.models();
    expect(listed.map((m) => [m.name, m.role, m.sharedBy, m.size])).toEqual([['ann-policy', 'policy', 'ann', 14], ['lab-planner', 'planner', 'lead', 13]]);
    expect(listed[1]).toMatchObject({ id: `model:${first.sha256}`, sha256: first.sha256, card: first.card });
    const file = await ann.modelFile(listed[1]);
    expect(await file.text()).toBe('graph bytes 1');
    expect(await sha256Hex(file)).toBe(first.sha256);
    // One that is no longer there says so, and what to do.
    await expect(ann.modelFile({ ...listed[1], id: 'model:gone', name: 'old-planner' })).rejects.toThrow('“old-planner” is no longer on the team server: press Refresh to see the models it has.');
  });
});

/**
 * The `models` table: ONNX graphs (Blobs) with their model cards. Which planner/policy is active
 * is a preference, kept in localStorage by src/inference/activeModels.ts.
 */
import { getDb } from './db';
import { guardedWrite } from './errors';
import type { ModelRecord } from './types';

/** Built-in models (shipped under public/models/) carry ids with this prefix. */
export const BUILTIN_MODEL_PREFIX = 'builtin:';

export async function listModels(): Promise<ModelRecord[]> {
  const all = await getDb().models.orderBy('createdAt').toArray();
  return all;
}

export async function getModel(id: string): Promise<ModelRecord | undefined> {
  return getDb().models.get(id);
}

/** Adds or replaces one model (one write: the ONNX Blob and its card together). */
export async function putModel(record: ModelRecord): Promise<void> {
  await guardedWrite(`store the model "${record.name}"`, () => getDb().models.put(record));
}

export async function deleteModel(id: string): Promise<void> {
  await guardedWrite('delete the model', () => getDb().models.delete(id));
}

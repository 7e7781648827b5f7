/**
 * One schema per table: what a record must look like to enter the database. The database checks
 * every write against it (db.ts, a Dexie middleware under add/put/update), and restore checks a
 * whole backup against it before it touches anything — so a crafted or damaged record (a dataset
 * whose name is a Date, a sample whose path is a string) is refused with a message naming it,
 * instead of being stored and breaking every screen that renders it.
 *
 * zod rather than hand-written checks: the schemas read as the record types, and its issues carry
 * the path to the offending field. Extra fields are allowed (records grow by migration); the known
 * ones must have their types.
 */
import { z } from 'zod';
import { SAMPLE_SOURCES, SAMPLE_STATUSES } from './types';

const id = z.string().min(1);
/** A reference to another record (may be filled in later by the writer, so not checked for emptiness). */
const ref = z.string();
const time = z.number().finite();
const finite = z.number().finite();
const blob = z.instanceof(Blob);
const gripper = z.enum(['open', 'closed']);

export const pathSchema = z.object({
  initialGripper: gripper,
  points: z.array(z.object({ x: finite, y: finite, gripper })),
});

const dataset = z.looseObject({ id, name: z.string(), createdAt: time, updatedAt: time, deletedAt: time.optional() });

const asset = z.looseObject({
  id, blob, mime: z.string(), size: z.number().int().nonnegative(),
  width: z.number().int().nonnegative(), height: z.number().int().nonnegative(),
  thumbnail: blob.optional(), createdAt: time,
});

const sample = z.looseObject({
  id, datasetId: ref, assetId: ref, order: finite, instruction: z.string(),
  path: pathSchema.nullable(),
  status: z.enum(SAMPLE_STATUSES), source: z.enum(SAMPLE_SOURCES),
  provenance: z.looseObject({
    fileName: z.string().optional(), videoAssetId: z.string().optional(), episodeId: z.string().optional(),
    frameStart: finite.optional(), frameEnd: finite.optional(), note: z.string().optional(),
  }),
  review: z.looseObject({ verdict: z.enum(['approved', 'rejected']), comment: z.string(), at: time }).optional(),
  prelabeled: z.boolean().optional(),
  createdAt: time, updatedAt: time,
});

const episode = z.looseObject({ id, datasetId: ref, task: z.string(), data: z.record(z.string(), z.unknown()), createdAt: time });

const model = z.looseObject({ id, name: z.string(), role: z.enum(['planner', 'policy']), onnx: blob, card: z.record(z.string(), z.unknown()), createdAt: time });

const run = z.looseObject({ id, modelIds: z.array(z.string()), episodeId: z.string().optional(), metrics: z.record(z.string(), z.unknown()), createdAt: time });

const video = z.looseObject({
  id, datasetId: ref, assetId: ref, name: z.string(), codec: z.string(),
  width: finite, height: finite, fps: finite, frameCount: finite, durationSeconds: finite,
  annotation: z.record(z.string(), z.unknown()), createdAt: time, updatedAt: time,
});

const calibration = z.looseObject({
  id, datasetId: ref, camera: z.string(), projection: z.array(finite).length(12),
  width: finite, height: finite, source: z.enum(['metadata', 'clicks', 'manual']),
  rmsPx: finite.optional(), leaveOneOutPx: finite.optional(), createdAt: time,
});

export const TABLE_SCHEMAS: Record<string, z.ZodType> = {
  datasets: dataset, assets: asset, samples: sample, episodes: episode,
  models: model, runs: run, videos: video, calibrations: calibration,
};

/** A record that does not match its table's schema; the message names the table, the record and the field. */
export class RecordValidationError extends Error {
  constructor(message: string, readonly table: string, readonly recordId: string) {
    super(message);
    this.name = 'RecordValidationError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (typeof Blob !== 'undefined' && v instanceof Blob) return 'a file';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return String(v);
}

function at(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Null when `value` may enter `table`; otherwise what is wrong, in words. */
export function recordProblem(table: string, value: unknown): string | null {
  const schema = TABLE_SCHEMAS[table];
  if (!schema) return `the table "${table}" does not exist in this studio`;
  const r = schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join('.') || '(the record)';
  const found = at(value, issue.path);
  const what = found === undefined ? 'is missing' : `is ${describe(found)}`;
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem${r.error.issues.length > 2 ? 's' : ''})` : '';
  return `${field} ${what} — ${issue.message.replace(/^Invalid input: /, '')}${more}`;
}

/** Throws a RecordValidationError naming table, record id and field when `value` may not enter `table`. */
export function assertRecord(table: string, value: unknown): void {
  const problem = recordProblem(table, value);
  if (!problem) return;
  const rid = value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : '?';
  throw new RecordValidationError(`A ${table} record (id ${rid}) is not valid: ${problem}`, table, rid);
}

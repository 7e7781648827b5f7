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
import * as z from 'zod/mini';
import { SAMPLE_SOURCES, SAMPLE_STATUSES } from './types';

// zod/mini rather than zod's classic API: the same checks and issues in a third of the code, and
// it is evaluated before the Library's first paint (the database validates every write). Its
// messages are the English locale's, as the classic API's are.
z.config(z.locales.en());

const id = z.string().check(z.minLength(1));
/** A reference to another record (may be filled in later by the writer, so not checked for emptiness). */
const ref = z.string();
/** zod 4's numbers are finite: Infinity and NaN fail. */
const time = z.number();
const finite = z.number();
const count = z.int().check(z.nonnegative());
const blob = z.instanceof(Blob);
const gripper = z.enum(['open', 'closed']);
const text = z.string();
const optional = <T extends z.ZodMiniType>(t: T) => z.optional(t);
const anyRecord = z.record(z.string(), z.unknown());

const pathSchema = z.object({
  initialGripper: gripper,
  points: z.array(z.object({ x: finite, y: finite, gripper })),
});

const dataset = z.looseObject({ id, name: text, createdAt: time, updatedAt: time, deletedAt: optional(time) });

const asset = z.looseObject({
  id, blob, mime: text, size: count, width: count, height: count,
  thumbnail: optional(blob), createdAt: time,
});

const sample = z.looseObject({
  id, datasetId: ref, assetId: ref, order: finite, instruction: text,
  path: z.nullable(pathSchema),
  status: z.enum(SAMPLE_STATUSES), source: z.enum(SAMPLE_SOURCES),
  provenance: z.looseObject({
    fileName: optional(text), videoAssetId: optional(text), episodeId: optional(text),
    frameStart: optional(finite), frameEnd: optional(finite), note: optional(text),
  }),
  review: optional(z.looseObject({ verdict: z.enum(['approved', 'rejected']), comment: text, at: time })),
  prelabeled: optional(z.boolean()),
  createdAt: time, updatedAt: time,
});

const episode = z.looseObject({ id, datasetId: ref, task: text, data: anyRecord, createdAt: time });

const model = z.looseObject({ id, name: text, role: z.enum(['planner', 'policy']), onnx: blob, card: anyRecord, createdAt: time });

const run = z.looseObject({ id, modelIds: z.array(text), episodeId: optional(text), metrics: anyRecord, createdAt: time });

const video = z.looseObject({
  id, datasetId: ref, assetId: ref, name: text, codec: text,
  width: finite, height: finite, fps: finite, frameCount: finite, durationSeconds: finite,
  annotation: anyRecord, createdAt: time, updatedAt: time,
});

const calibration = z.looseObject({
  id, datasetId: ref, camera: text, projection: z.array(finite).check(z.length(12)),
  width: finite, height: finite, source: z.enum(['metadata', 'clicks', 'manual']),
  rmsPx: optional(finite), leaveOneOutPx: optional(finite), createdAt: time,
});

const TABLE_SCHEMAS: Record<string, z.ZodMiniType> = {
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

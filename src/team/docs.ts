/**
 * How a shared dataset's records look as CouchDB documents (docs/TEAMS.md, What is stored where).
 * One database per dataset holds:
 *
 * - `dataset`: the dataset record (name, times) — not its bin state (`deletedAt` stays local);
 * - `sample:<id>`: each sample, every field of the record but its id;
 * - `asset:<sha256>`: an image's facts, the bytes (and thumbnail) as attachments. Keyed by the
 *   content hash, as the asset table is, so an image used by two samples is stored once. Videos,
 *   episode videos and robot meshes are assets too;
 * - `episode:<id>`, `video:<id>`, `calibration:<id>`: the dataset's imported or recorded episodes,
 *   imported videos (their segments and tracks) and camera calibrations, every field but the id, typed
 *   arrays as base64 (typedJson.ts). The assets they name go with them (`referencedAssets`).
 *
 * Every document the studio writes carries `changedBy` (the signed-in user) and `changedAt` (ms):
 * who made this revision and when. Comparisons leave those (and CouchDB's `_` fields) out: a
 * document and a record that say the same thing are the same, however they got there — which is
 * what keeps the two-way mirror from echoing.
 */
import type { AssetRecord, CalibrationRecord, DatasetRecord, EpisodeRecord, SampleRecord, VideoRecord } from '../storage/types';
import { fromJsonValue, toJsonValue } from './typedJson';

export const DATASET_DOC_ID = 'dataset';
export const sampleDocId = (sampleId: string): string => `sample:${sampleId}`;
export const assetDocId = (assetId: string): string => `asset:${assetId}`;

/**
 * Every document but the images: what a replica pulls while its images come on demand (a Mango
 * selector, which CouchDB evaluates on the server). On the id, which every document has — tombstones
 * included, so deletions still arrive — and as a pattern, not a key range: CouchDB compares strings
 * by ICU collation, where `;` sorts before `:`, and PouchDB by code unit.
 */
export const WITHOUT_IMAGES = { _id: { $regex: '^(?!asset:)' } } as const;

/** The attachment names of an asset document. */
export const FILE_ATTACHMENT = 'file';
export const THUMBNAIL_ATTACHMENT = 'thumbnail';

/** The dataset's other records that travel with it, by table, and the kind their documents have. */
export const RECORD_KINDS = { episodes: 'episode', videos: 'video', calibrations: 'calibration' } as const;
export type RecordTable = keyof typeof RECORD_KINDS;
export type RecordKind = (typeof RECORD_KINDS)[RecordTable];
export const RECORD_TABLES = Object.keys(RECORD_KINDS) as RecordTable[];
export interface RecordOf {
  episodes: EpisodeRecord;
  videos: VideoRecord;
  calibrations: CalibrationRecord;
}
export type DatasetRecordOfTable = RecordOf[RecordTable];
export const recordDocId = (table: RecordTable, id: string): string => `${RECORD_KINDS[table]}:${id}`;
const TABLE_OF_KIND = Object.fromEntries(RECORD_TABLES.map((t) => [RECORD_KINDS[t], t])) as Record<RecordKind, RecordTable>;

export type DocKind = 'dataset' | 'sample' | 'asset' | RecordKind;

/** What a document id names; null for documents the studio does not mirror (design docs, others). */
export function parseDocId(docId: string): { kind: DocKind; id: string } | null {
  if (docId === DATASET_DOC_ID) return { kind: 'dataset', id: '' };
  const colon = docId.indexOf(':');
  if (colon < 0) return null;
  const prefix = docId.slice(0, colon), id = docId.slice(colon + 1);
  if (!id) return null;
  if (prefix === 'sample') return { kind: 'sample', id };
  if (prefix === 'asset') return { kind: 'asset', id };
  if (prefix in TABLE_OF_KIND) return { kind: prefix as RecordKind, id };
  return null;
}

/** The table whose records a kind of document holds (episodes, videos, calibrations); null for the others. */
export function recordTableOf(kind: DocKind): RecordTable | null {
  return TABLE_OF_KIND[kind as RecordKind] ?? null;
}

export interface Stamp {
  /** The user who made this revision. */
  changedBy: string;
  /** When, in ms since the epoch (the editing machine's clock). */
  changedAt: number;
}

interface DocBase extends Stamp {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  _conflicts?: string[];
}

export interface DatasetDoc extends DocBase {
  type: 'dataset';
  name: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * `reviewedBy`: who wrote the sample's `review` (approve / reject). The record has no such field; the
 * server's validation function (validate.ts) uses it so that nobody rewrites another's review.
 */
export type SampleDoc = DocBase & Omit<SampleRecord, 'id'> & { type: 'sample'; reviewedBy?: string };

export interface Attachment {
  content_type: string;
  /** Blob in the browser, Buffer in Node (PouchDB's binary types); absent on a stub. */
  data?: unknown;
  digest?: string;
  length?: number;
  stub?: boolean;
}

export interface AssetDoc extends DocBase {
  type: 'asset';
  mime: string;
  size: number;
  width: number;
  height: number;
  crc32?: number;
  createdAt: number;
  _attachments?: Record<string, Attachment>;
}

/** An episode, video or calibration: the record's fields (typed arrays encoded) but its id. */
export interface RecordDoc extends DocBase {
  type: RecordKind;
  datasetId: string;
  [field: string]: unknown;
}

export type TeamDoc = DatasetDoc | SampleDoc | AssetDoc | RecordDoc;

/** Fields that say how a document travelled, not what it says. */
const META = new Set(['_id', '_rev', '_deleted', '_conflicts', '_attachments', '_revisions', '_revs_info', 'type', 'changedBy', 'changedAt', 'reviewedBy']);

/** JSON with object keys sorted and undefined left out: equal content, equal string. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

function withoutKeys(value: object, drop: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!drop.has(k) && v !== undefined) out[k] = v;
  return out;
}

const ID = new Set(['id']);
const DATASET_LOCAL = new Set(['id', 'deletedAt']);

/** What a sample says, as compared with its document. */
export const sampleContent = (record: SampleRecord): string => canonical(withoutKeys(record, ID));
export const sampleDocContent = (doc: SampleDoc): string => canonical(withoutKeys(doc, META));

/**
 * A sample's document. `previous` is the document it replaces: its reviewer is kept while the
 * review stays the same; a new or changed review is this stamp's user's.
 */
export function sampleToDoc(record: SampleRecord, stamp: Stamp, previous?: SampleDoc | null): SampleDoc {
  const doc: SampleDoc = { ...(withoutKeys(record, ID) as Omit<SampleRecord, 'id'>), _id: sampleDocId(record.id), type: 'sample', ...stamp };
  if (record.review) {
    const same = previous?.review && canonical(previous.review) === canonical(record.review);
    doc.reviewedBy = same && previous.reviewedBy ? previous.reviewedBy : stamp.changedBy;
  }
  return doc;
}

export function sampleFromDoc(doc: SampleDoc): SampleRecord {
  const parsed = parseDocId(doc._id);
  return { ...(withoutKeys(doc, META) as Omit<SampleRecord, 'id'>), id: parsed?.id ?? doc._id };
}

/** What a dataset says across the team: its name and times, not whether this browser put it in the bin. */
export const datasetContent = (record: DatasetRecord): string => canonical(withoutKeys(record, DATASET_LOCAL));
export const datasetDocContent = (doc: DatasetDoc): string => canonical(withoutKeys(doc, META));

export function datasetToDoc(record: DatasetRecord, stamp: Stamp): DatasetDoc {
  return { ...(withoutKeys(record, DATASET_LOCAL) as Omit<DatasetDoc, '_id' | 'type' | keyof Stamp>), _id: DATASET_DOC_ID, type: 'dataset', ...stamp };
}

/** The dataset record a document makes here; a local bin state is kept. */
export function datasetFromDoc(doc: DatasetDoc, datasetId: string, local?: DatasetRecord): DatasetRecord {
  const record = { ...(withoutKeys(doc, META) as Omit<DatasetRecord, 'id'>), id: datasetId } as DatasetRecord;
  if (local?.deletedAt !== undefined) record.deletedAt = local.deletedAt;
  return record;
}

/** What an episode, video or calibration says, as compared with its document. */
export const recordContent = (record: DatasetRecordOfTable): string => canonical(toJsonValue(withoutKeys(record, ID)));
export const recordDocContent = (doc: RecordDoc): string => canonical(withoutKeys(doc, META));

export function recordToDoc(table: RecordTable, record: DatasetRecordOfTable, stamp: Stamp): RecordDoc {
  return { ...(toJsonValue(withoutKeys(record, ID)) as Record<string, unknown>), _id: recordDocId(table, record.id), type: RECORD_KINDS[table], datasetId: record.datasetId, ...stamp };
}

export function recordFromDoc(doc: RecordDoc): DatasetRecordOfTable {
  const parsed = parseDocId(doc._id);
  return { ...(fromJsonValue(withoutKeys(doc, META)) as Record<string, unknown>), id: parsed?.id ?? doc._id } as unknown as DatasetRecordOfTable;
}

/**
 * The assets a record names, which go with it: a video's file; an episode's frames (a recording's
 * JPEGs, an import's videos) and its robot's meshes.
 */
export function referencedAssets(table: RecordTable, record: DatasetRecordOfTable): string[] {
  if (table === 'videos') return [(record as VideoRecord).assetId];
  if (table !== 'episodes') return [];
  const data = (record as EpisodeRecord).data as { frames?: unknown[]; robot?: { meshes?: Record<string, string> } };
  const ids = new Set<string>();
  for (const frame of data.frames ?? []) {
    if (typeof frame === 'string' && frame) ids.add(frame);
    else if (frame && typeof frame === 'object' && typeof (frame as { videoAssetId?: unknown }).videoAssetId === 'string') ids.add((frame as { videoAssetId: string }).videoAssetId);
  }
  for (const id of Object.values(data.robot?.meshes ?? {})) if (typeof id === 'string') ids.add(id);
  return [...ids];
}

/** An asset's document; `file` and `thumbnail` are the attachment data in PouchDB's binary type. */
export function assetToDoc(record: AssetRecord, stamp: Stamp, file: unknown, thumbnail?: unknown): AssetDoc {
  const doc: AssetDoc = {
    _id: assetDocId(record.id), type: 'asset', mime: record.mime, size: record.size, width: record.width, height: record.height,
    createdAt: record.createdAt, ...stamp,
    _attachments: { [FILE_ATTACHMENT]: { content_type: record.mime || 'application/octet-stream', data: file } },
  };
  if (record.crc32 !== undefined) doc.crc32 = record.crc32;
  if (thumbnail !== undefined && record.thumbnail) doc._attachments![THUMBNAIL_ATTACHMENT] = { content_type: record.thumbnail.type || 'image/jpeg', data: thumbnail };
  return doc;
}

export function assetFromDoc(doc: AssetDoc, blob: Blob, thumbnail?: Blob): AssetRecord {
  const parsed = parseDocId(doc._id);
  const record: AssetRecord = {
    id: parsed?.id ?? doc._id, blob, mime: doc.mime, size: doc.size, width: doc.width, height: doc.height, createdAt: doc.createdAt,
  };
  if (doc.crc32 !== undefined) record.crc32 = doc.crc32;
  if (thumbnail) record.thumbnail = thumbnail;
  return record;
}

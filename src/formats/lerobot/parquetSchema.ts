/**
 * Parquet pieces of the LeRobot v3.0 writer (v3Writer.ts), written with the column layout of the
 * `lerobot` library.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { STAT_KEYS, type FeatureStats } from './stats';

export type Column = { name: string; data: unknown[] };
export type SchemaElement = Record<string, unknown>;

/** Parquet schema elements of an optional LIST column (3-level encoding), nested `depth` times. */
export function listOf(name: string, leaf: 'FLOAT' | 'DOUBLE' | 'INT64' | 'STRING', depth = 1): SchemaElement[] {
  const out: SchemaElement[] = [{ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 }];
  for (let d = 1; d < depth; d++) {
    out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 }, { name: 'element', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 });
  }
  out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
  out.push(leaf === 'STRING'
    ? { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }
    : { name: 'element', type: leaf, repetition_type: 'OPTIONAL' });
  return out;
}

/**
 * The `stats/<feature>/<stat>` columns of meta/episodes, as lerobot writes them: image stats nested
 * [3][1][1], counts and the min/max of index columns as INT64, everything else DOUBLE lists.
 */
export function episodeStatsColumns(
  perEpisode: readonly Record<string, FeatureStats>[],
  isImage: (feature: string) => boolean,
  isIndex: (feature: string) => boolean,
): { columns: Column[]; schema: SchemaElement[] } {
  const columns: Column[] = [];
  const schema: SchemaElement[] = [];
  for (const key of Object.keys(perEpisode[0] ?? {})) {
    for (const stat of STAT_KEYS) {
      const name = `stats/${key}/${stat}`;
      const intValued = stat === 'count' || (isIndex(key) && (stat === 'min' || stat === 'max'));
      const values = perEpisode.map((e) => e[key][stat]);
      if (isImage(key) && stat !== 'count') {
        columns.push({ name, data: values.map((v) => v.map((x) => [[x]])) });
        schema.push(...listOf(name, 'DOUBLE', 3));
      } else {
        columns.push({ name, data: intValued ? values.map((v) => v.map((x) => BigInt(Math.round(x)))) : values });
        schema.push(...listOf(name, intValued ? 'INT64' : 'DOUBLE'));
      }
    }
  }
  return { columns, schema };
}

export function writeParquet(columnData: Column[], schema: SchemaElement[], createdBy: string, kvMetadata?: { key: string; value: string }[]): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- hyparquet-writer's column/schema types are narrower than the nested lists we write
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as any, schema: schema as any, kvMetadata, createdBy }));
}

/**
 * meta/tasks.parquet: the task string is the pandas index (`__index_level_0__`), as lerobot's
 * pandas → pyarrow round trip writes it (see the so101 fixture).
 */
export function tasksParquet(tasks: ReadonlyMap<string, number>, createdBy: string): Uint8Array {
  const rows = [...tasks.entries()];
  const pandas = {
    index_columns: ['__index_level_0__'],
    column_indexes: [{ name: null, field_name: null, pandas_type: 'unicode', numpy_type: 'object', metadata: { encoding: 'UTF-8' } }],
    columns: [
      { name: 'task_index', field_name: 'task_index', pandas_type: 'int64', numpy_type: 'int64', metadata: null },
      { name: null, field_name: '__index_level_0__', pandas_type: 'unicode', numpy_type: 'object', metadata: null },
    ],
    attributes: {},
    creator: { library: 'pyarrow', version: '22.0.0' },
    pandas_version: '2.3.3',
  };
  return writeParquet([
    { name: 'task_index', data: rows.map(([, i]) => BigInt(i)) },
    { name: '__index_level_0__', data: rows.map(([t]) => t) },
  ], [
    { name: 'schema', num_children: 2 },
    { name: 'task_index', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: '__index_level_0__', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  ], createdBy, [{ key: 'pandas', value: JSON.stringify(pandas) }]);
}

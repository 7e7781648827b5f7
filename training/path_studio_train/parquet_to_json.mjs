// Debian ships no pyarrow/fastparquet, so the trainer reads LeRobot parquet files through hyparquet
// (already a studio dependency): `node parquet_to_json.mjs FILE [COLUMN...]` prints
// {"columns": {...}} with the named columns (all when none), typed arrays as plain lists.
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';

const [file, ...columns] = process.argv.slice(2);
const buf = readFileSync(file);
const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
const rows = await parquetReadObjects({ file: arrayBuffer, columns: columns.length ? columns : undefined });
const out = {};
for (const row of rows) {
  for (const [k, v] of Object.entries(row)) {
    (out[k] ??= []).push(ArrayBuffer.isView(v) ? Array.from(v) : typeof v === 'bigint' ? Number(v) : v);
  }
}
process.stdout.write(JSON.stringify({ columns: out }, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));

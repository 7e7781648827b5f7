/**
 * The recovery page's work, headless: find the records the studio cannot use (records written
 * before the database checked its writes, or by another program), remove them, or start over.
 * It reads the tables raw — never through the screens that crashed on those records.
 */
import { getDb } from './db';
import { recordProblem } from './schemas';

export interface BadRecord {
  table: string;
  /** The primary key as text ('?' when the record has none). */
  id: string;
  problem: string;
}

export interface DatabaseCheck {
  tables: { name: string; records: number }[];
  bad: BadRecord[];
}

/** Every record of every table against its schema; the bad ones listed with what is wrong. */
export async function checkDatabase(onProgress?: (table: string) => void): Promise<DatabaseCheck> {
  const db = getDb();
  const tables: DatabaseCheck['tables'] = [];
  const bad: BadRecord[] = [];
  for (const table of db.tables) {
    onProgress?.(table.name);
    let records = 0;
    await table.toCollection().each((value, cursor) => {
      records++;
      const problem = recordProblem(table.name, value);
      if (problem) bad.push({ table: table.name, id: String(cursor.primaryKey ?? '?'), problem });
    });
    tables.push({ name: table.name, records });
  }
  return { tables, bad };
}

/** Deletes the listed records (by primary key) in one transaction; returns how many went. */
export async function removeRecords(records: BadRecord[]): Promise<number> {
  const db = getDb();
  await db.transaction('rw', db.tables, async () => {
    for (const r of records) await db.table(r.table).delete(r.id);
  });
  return records.length;
}

/** Empties every table: the studio as on first start (the browser's other data is untouched). */
export async function resetDatabase(): Promise<void> {
  const db = getDb();
  await db.transaction('rw', db.tables, async () => {
    for (const t of db.tables) await t.clear();
  });
}

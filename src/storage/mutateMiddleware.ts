/**
 * A Dexie DBCore middleware that only wraps writes (`mutate`) of every table: what the record
 * validation (db.ts) and the change feed (changeFeed.ts) each need, and nothing else.
 */
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable } from 'dexie';

export function mutateMiddleware(
  name: string,
  mutate: (table: string, req: DBCoreMutateRequest, down: DBCoreTable) => Promise<DBCoreMutateResponse>,
) {
  return {
    stack: 'dbcore' as const,
    name,
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (tableName: string) => {
        const table = down.table(tableName);
        return { ...table, mutate: (req: DBCoreMutateRequest) => mutate(tableName, req, table) };
      },
    }),
  };
}

/**
 * The recovery page's work: check every stored record against its schema, remove the bad ones, or
 * start over. It lives in src/storage (it reads the tables raw, never through the screens that
 * crashed on those records); the page reaches it here.
 */
export { checkDatabase, removeRecords, resetDatabase, type BadRecord, type DatabaseCheck } from '../../storage/recovery';

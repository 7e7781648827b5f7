/** The project backup: written as a zip of every table and blob, restored all or nothing. */
export { backupFileName, openBackupArchive, writeBackupZip } from '../../exporters/backup/backupZip';
export { restoreBackup } from '../../storage/backup';

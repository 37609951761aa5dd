/** The backup room's public surface: backups, restores and the order export. */
export {
  BackupRefused,
  BackupSchedule,
  backupDatabase,
  listBackups,
  restoreDatabase,
  verifyBackup,
} from './backup';
export { DatabaseInUse } from '../db/lock';
export { exportOrders, ordersAsCsv, ordersAsJson, type ExportedOrder } from './export';

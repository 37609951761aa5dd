/** The backup room's public surface: backups, restores and the order export. */
export {
  BackupRefused,
  BackupSchedule,
  backupDatabase,
  listBackups,
  restoreDatabase,
  verifyBackup,
} from './backup';
export { exportOrders, ordersAsCsv, ordersAsJson, type ExportedOrder } from './export';

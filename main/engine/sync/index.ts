// The desk's side of syncing with a pretix server or a Guichet hub: its connection, its copy of the
// server's lists and the catalog it imports from them, the places it holds per quota and the outbox of
// calls still to make.
export {
  finishPull,
  getConnection,
  lastPull,
  pulledResources,
  recordContact,
  recordSync,
  recordUnreachable,
  replacePulledList,
  saveConnection,
  storePulledPage,
  type SyncAuthScheme,
  type SyncConnectionRow,
} from './catalog-copy';
export {
  importedEventId,
  importServerCatalog,
  localIdOf,
  remoteIdOf,
  type CatalogImportResult,
  type LocalKind,
} from './catalog-import';
export type * from './server-catalog';
export {
  allotmentsToBalance,
  chooseAllotmentSize,
  freeInAllotment,
  getAllotment,
  listAllotments,
  lowerHeld,
  planAllotment,
  recordHeld,
  topUpTarget,
  type AllotmentRow,
} from './allotments';
export {
  disconnect,
  eventApiPath,
  lastConnection,
  prepareConnection,
  unfinishedBusiness,
  type UnfinishedBusiness,
} from './connection';
export {
  confirmUpload,
  dropRefused,
  enqueue,
  getOutboxRow,
  listOutbox,
  nextDue,
  refuseUpload,
  resendUnderNewKey,
  retryLater,
  retryRefused,
  sentIdempotencyKey,
  uploadsOfOrder,
  type OutboxRow,
  type OutboxState,
} from './outbox';
export {
  queueDeskCancellationUpload,
  queueDeskRefundUpload,
  queueDeskSaleUpload,
  refundComment,
} from './desk-uploads';
export { syncStatus, type SyncStatus } from './status';

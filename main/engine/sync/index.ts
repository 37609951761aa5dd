// The desk's side of syncing with a pretix server or a Guichet hub: its connection, its copy of the
// server's lists, the places it holds per quota and the outbox of calls still to make.
export {
  finishPull,
  getConnection,
  lastPull,
  pulledResources,
  recordContact,
  recordSync,
  recordUnreachable,
  saveConnection,
  storePulledPage,
  type SyncAuthScheme,
  type SyncConnectionRow,
} from './catalog-copy';
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
  listOutbox,
  nextDue,
  queueCancellation,
  queueSale,
  refuseUpload,
  resendUnderNewKey,
  retryLater,
  retryRefused,
  sentIdempotencyKey,
  type OutboxRow,
  type OutboxState,
} from './outbox';
export { syncStatus, type SyncStatus } from './status';

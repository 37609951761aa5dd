/**
 * The quotas room: availability counted as pretix counts it (one read model for the REST door and the
 * desk), the ledger a sale takes units from, and the live order counters.
 */
export {
  AVAILABILITY_GONE,
  AVAILABILITY_OK,
  AVAILABILITY_ORDERED,
  AVAILABILITY_RESERVED,
  computeQuotaAvailability,
  readQuotaAvailability,
  quotasOfEvent,
  type AvailabilityState,
  type QuotaAvailability,
  type QuotaCounters,
} from './availability';
export { holdOrderInQuotas, recountQuota, releaseOrderFromQuotas } from './counters';
export { quotaCountersInEvent } from '../db/queries/catalog/quotas';

/**
 * The catalog room: events, their settings and dates, tax rules, categories, items with variations,
 * add-ons and bundles, quotas, questions and vouchers. Doors call these commands (inside
 * `engine.command`) and read models; everything else in the folder is the room's own.
 */
export {
  cloneEvent,
  createEvent,
  deleteEvent,
  eventDateProblems,
  eventFieldProblems,
  updateEvent,
  type EventInput,
} from './events';
export {
  eventSettings,
  isTimeZone,
  patchEventSettings,
  settingsRefusals,
  type EventSettings,
  type EventSettingsPatch,
} from './settings';
export { isNameScheme } from './names';
export {
  createSubevent,
  deleteSubevent,
  priceOverrideProblem,
  updateSubevent,
  type PriceOverride,
  type SubeventInput,
} from './subevents';
export {
  createTaxRule,
  defaultTaxRuleId,
  deleteTaxRule,
  taxRateProblem,
  updateTaxRule,
  type TaxRuleInput,
} from './tax-rules';
export { createCategory, deleteCategory, updateCategory, type CategoryInput } from './categories';
export {
  createAddon,
  createBundle,
  createItem,
  createVariation,
  deleteAddon,
  deleteBundle,
  deleteItem,
  deleteVariation,
  updateAddon,
  updateBundle,
  updateItem,
  updateVariation,
  itemObjectProblem,
  itemVariationsProblem,
  type AddonInput,
  type BundleInput,
  type ItemInput,
  type NewItemInput,
  type VariationInput,
} from './items';
export type { I18nText } from './stored-fields';
export { createQuota, deleteQuota, quotaMembers, updateQuota, type QuotaInput } from './quotas';
export { eventOfObjectIn, isObjectOfEvent, type EventOfObject } from './event-objects';
export {
  createQuestion,
  createQuestionOption,
  deleteQuestion,
  deleteQuestionOption,
  identifierProblem,
  updateQuestion,
  updateQuestionOption,
  QUESTION_TYPES,
  type NewQuestionInput,
  type OptionInput,
  type QuestionInput,
  type QuestionType,
} from './questions';
export {
  createVoucher,
  createVouchers,
  deleteVoucher,
  updateVoucher,
  voucherListError,
  type VoucherInput,
} from './vouchers';

// Read models.
export {
  availabilityOf,
  deskEvents,
  questionsFor,
  questionTextOf,
  salesTiles,
  setupEvent,
  type Availability,
  type EventSummary,
  type ProductTile,
  type QuestionView,
  type SetupEventView,
} from './desk-catalog';
export {
  eventCount,
  eventHasQuotas,
  eventIdsBySlugs,
  eventSlugTaken,
  eventsOfOrganizer,
  findEvent,
  findEventBySlug,
} from '../db/queries/catalog/events';
export { findQuota } from '../db/queries/catalog/quotas';
export { findItem, variationById, variationsInOrder } from '../db/queries/catalog/items';
export { subeventById } from '../db/queries/catalog/subevents';
export {
  catalogRecord,
  catalogRecords,
  childRecord,
  childRecords,
  eventSlug,
  nestedRecordsOfItem,
  optionRecordsOfQuestion,
  questionItemIds,
  subeventRecordsOfEvent,
  subeventsOfOrganizer,
  subeventPrices,
  taxRuleRate,
  vouchersOfEvent,
  type CatalogRecord,
  type CatalogResourceTable,
  type SubeventWithEventSlug,
} from '../db/queries/catalog/resources';
export { findVoucher } from '../db/queries/catalog/vouchers';
export type { CatalogObjectKind } from '../db/queries/catalog/tables';
export type { EventRow, ItemVariationRow, QuestionRow, QuotaRow, VoucherRow } from '../db/rows';

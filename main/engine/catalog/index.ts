/** The catalog room's public surface: its commands and read models. */
export {
  availabilityOf,
  deskEvents,
  localized,
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

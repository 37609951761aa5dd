/** The carts room's public surface: its commands and read models. */
export {
  cartPositionChildren,
  countApiCartPositions,
  createCartPositions,
  deleteCartPosition,
  getApiCartPosition,
  listApiCartPositions,
  purgeExpiredCarts,
  type CartCreateOutcome,
  type CartPositionRow as CartPosition,
} from './carts';
export { findCartPosition } from '../db/queries/carts';
export {
  CART_POSITION_DEFAULTS,
  cartRequestLookups,
  type CartPositionRequest,
  type CartRequestLookups,
} from './validate';
export {
  addToDeskCart,
  clearDeskCart,
  deskCart,
  removeDeskCartLine,
  type Cart,
  type CartLine,
  type DeskCartAddition,
} from './desk-cart';

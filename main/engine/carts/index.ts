/** The carts room's public surface: its commands and read models. */
export {
  addToDeskCart,
  clearDeskCart,
  deskCart,
  removeDeskCartLine,
  type Cart,
  type CartLine,
} from './desk-cart';

export { getListedPrice } from './listed-price';
export { computeTax, type TaxedPrice, type TaxRuleLike } from './tax';

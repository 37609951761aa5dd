/**
 * Tickets: layouts (pretix's ticket layouts, edited at the desk), the data printed on a ticket, PDF
 * rendering and downloads, and bulk exports.
 */
export { startTicketExport } from './bulk';
export {
  orderTicketFile,
  positionTicketFile,
  pdfOutputActive,
  renderOrderTickets,
  type TicketFile,
} from './downloads';
export { orderListsDownloads, positionGeneratesTicket } from './eligibility';
export {
  defaultLayout,
  PAPER_NAMES,
  paperSize,
  parseTicketLayout,
  type LayoutElement,
  type PaperName,
  type TicketLayout,
} from './layout';
export { layoutAssignments, layoutResolver, listTicketLayouts } from './layouts-store';
export { loadTickets } from './loader';
export { positionPdfData } from './pdf-data';
export { prepareTicketRendering, renderTicketsPdf, ticketRenderingPreparation } from './render';
export { sampleTicket, type TicketData } from './ticket-data';

import type { EventSettings } from '../catalog/settings';

/** The plugin whose presence offers the PDF output, as pretix registers ticket outputs per event. */
export const PDF_OUTPUT_PLUGIN = 'pretix.plugins.ticketoutputpdf';

export interface OrderForDownload {
  status: 'n' | 'p' | 'e' | 'c';
  require_approval: boolean;
  valid_if_pending: boolean;
}

export interface PositionForTicket {
  addon_to: number | null;
  blocked: string[] | null;
  item_admission: boolean;
  item_generate_tickets: boolean | null;
}

/**
 * Why an order's tickets may not be downloaded (pretix's download views), or null when they may. Pending
 * orders may when they are valid while pending or the event allows downloads of pending orders.
 */
export function orderDownloadRefusal(order: OrderForDownload, settings: EventSettings): string | null {
  if (order.status === 'c' || order.status === 'e')
    return 'Downloads are not available for canceled or expired orders.';
  if (order.status === 'n' && !(order.valid_if_pending || settings.ticket_download_pending))
    return 'Downloads are not available for pending orders.';
  return null;
}

/** pretix's `downloads` rule for listing outputs: a pending order awaiting approval lists none. */
export function orderListsDownloads(order: OrderForDownload, settings: EventSettings): boolean {
  if (order.status === 'p') return true;
  return (
    order.status === 'n' &&
    !order.require_approval &&
    (order.valid_if_pending || Boolean(settings.ticket_download_pending))
  );
}

/** pretix's `OrderPosition.generate_ticket`: the product's own switch first, then the event's rules. */
export function positionGeneratesTicket(position: PositionForTicket, settings: EventSettings): boolean {
  if (position.item_generate_tickets !== null) return position.item_generate_tickets;
  if (position.blocked && position.blocked.length > 0) return false;
  return (
    (Boolean(settings.ticket_download_addons) || position.addon_to === null) &&
    (Boolean(settings.ticket_download_nonadm) || position.item_admission)
  );
}

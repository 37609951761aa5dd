/**
 * Everything one ticket shows, as plain data. The renderer takes only this, so it can render a preview,
 * a desk sale or a bulk export alike; loader.ts builds it from the database.
 */
export interface TicketData {
  organizer: string;
  event: {
    name: string;
    slug: string;
    /** ISO-8601 UTC; for an event series, the date of the position's sub-event. */
    dateFrom: string | null;
    dateTo: string | null;
    dateAdmission: string | null;
    location: string | null;
    timezone: string;
    currency: string;
    locale: string;
  };
  order: {
    code: string;
    datetime: string | null;
    email: string | null;
    testmode: boolean;
  };
  position: {
    id: number;
    positionid: number;
    /** The product's id, which chooses the layout (a product may have its own); null in previews. */
    itemId: number | null;
    /** The ticket secret, encoded in the QR code. */
    secret: string;
    item: string;
    variation: string | null;
    price: string;
    attendeeName: string | null;
    attendeeEmail: string | null;
    company: string | null;
    seat: string | null;
    /** Names of the add-ons bought with this position. */
    addons: string[];
    answers: { question: string; identifier: string; answer: string }[];
  };
  /** Words printed boldly on this copy, such as REPRINT or NOT PAID (desk prints). */
  marks?: string[];
}

const DATE_STYLES = {
  dateTime: {
    weekday: 'short',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  },
  date: { weekday: 'short', year: 'numeric', month: 'long', day: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const priceFormats = new Map<string, Intl.NumberFormat>();
/** Dates already formatted, by style, locale, zone and instant. */
const formattedDates = new Map<string, string>();

/**
 * Building an Intl formatter costs far more than using one, and every ticket of an event needs the same
 * few: they are kept per style, locale, zone and currency (a handful per process).
 */
function remembered<F>(formats: Map<string, F>, key: string, make: () => F): F {
  let found = formats.get(key);
  if (!found) {
    if (formats.size >= 100) formats.clear();
    found = make();
    formats.set(key, found);
  }
  return found;
}

function formatDate(
  iso: string | null,
  style: keyof typeof DATE_STYLES,
  timezone: string,
  locale: string,
): string {
  if (!iso) return '';
  const formatKey = `${style}|${locale}|${timezone}`;
  // The tickets of a page of positions (pdf_data) print the same event dates over and over.
  const textKey = `${formatKey}|${iso}`;
  const known = formattedDates.get(textKey);
  if (known !== undefined) return known;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const text = remembered(
    dateFormats,
    formatKey,
    () =>
      new Intl.DateTimeFormat(safeLocale(locale), {
        ...DATE_STYLES[style],
        timeZone: safeTimeZone(timezone),
      }),
  ).format(date);
  if (formattedDates.size >= 1000) formattedDates.clear();
  formattedDates.set(textKey, text);
  return text;
}

function formatDateTime(iso: string | null, timezone: string, locale: string, withTime = true): string {
  return formatDate(iso, withTime ? 'dateTime' : 'date', timezone, locale);
}

function formatTime(iso: string | null, timezone: string, locale: string): string {
  return formatDate(iso, 'time', timezone, locale);
}

function safeTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
  } catch {
    return 'en';
  }
}

/** Money text ("23.00") in the event's currency, formatted from the exact decimal string. */
export function formatPrice(amount: string, currency: string, locale = 'en'): string {
  try {
    // Intl formats a numeric string as an exact decimal, so no float rounding happens here.
    return remembered(
      priceFormats,
      `${locale}|${currency}`,
      () => new Intl.NumberFormat(safeLocale(locale), { style: 'currency', currency }),
    ).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** The event's date range as pretix prints it: begin with time, and the end when there is one. */
function eventDateRange(t: TicketData): string {
  const { dateFrom, dateTo, timezone, locale } = t.event;
  const begin = formatDateTime(dateFrom, timezone, locale);
  if (!dateTo) return begin;
  const sameDay =
    formatDateTime(dateFrom, timezone, locale, false) === formatDateTime(dateTo, timezone, locale, false);
  return sameDay
    ? `${begin} – ${formatTime(dateTo, timezone, locale)}`
    : `${begin} – ${formatDateTime(dateTo, timezone, locale)}`;
}

/** The placeholders a text element may use, with what each one prints. */
export const PLACEHOLDERS: Record<string, { description: string; value: (t: TicketData) => string }> = {
  event_name: { description: 'Event name', value: (t) => t.event.name },
  event_date: { description: 'Event date and time (range)', value: eventDateRange },
  event_begin: {
    description: 'Event begin date and time',
    value: (t) => formatDateTime(t.event.dateFrom, t.event.timezone, t.event.locale),
  },
  event_begin_date: {
    description: 'Event begin date',
    value: (t) => formatDateTime(t.event.dateFrom, t.event.timezone, t.event.locale, false),
  },
  event_begin_time: {
    description: 'Event begin time',
    value: (t) => formatTime(t.event.dateFrom, t.event.timezone, t.event.locale),
  },
  event_admission: {
    description: 'Admission time',
    value: (t) => formatTime(t.event.dateAdmission ?? t.event.dateFrom, t.event.timezone, t.event.locale),
  },
  event_location: { description: 'Venue', value: (t) => t.event.location ?? '' },
  organizer: { description: 'Organizer name', value: (t) => t.organizer },
  item: { description: 'Product name', value: (t) => t.position.item },
  variation: { description: 'Variation name', value: (t) => t.position.variation ?? '' },
  itemvar: {
    description: 'Product and variation',
    value: (t) => (t.position.variation ? `${t.position.item} – ${t.position.variation}` : t.position.item),
  },
  price: {
    description: 'Price with currency',
    value: (t) => formatPrice(t.position.price, t.event.currency, t.event.locale),
  },
  attendee_name: { description: 'Attendee name', value: (t) => t.position.attendeeName ?? '' },
  attendee_email: { description: 'Attendee email', value: (t) => t.position.attendeeEmail ?? '' },
  attendee_company: { description: 'Attendee company', value: (t) => t.position.company ?? '' },
  order: { description: 'Order code', value: (t) => t.order.code },
  order_date: {
    description: 'Order date',
    value: (t) => formatDateTime(t.order.datetime, t.event.timezone, t.event.locale, false),
  },
  order_email: { description: 'Order email', value: (t) => t.order.email ?? '' },
  positionid: {
    description: 'Position number within the order',
    value: (t) => String(t.position.positionid),
  },
  seat: { description: 'Seat', value: (t) => (t.position.seat ? `Seat: ${t.position.seat}` : '') },
  addons: { description: 'Add-ons, comma-separated', value: (t) => t.position.addons.join(', ') },
  secret: { description: 'Ticket secret', value: (t) => t.position.secret },
  print_marks: {
    description: 'REPRINT / NOT PAID on desk prints that are one',
    value: (t) => (t.marks ?? []).join(' · '),
  },
  testmode: {
    description: '"TEST MODE" for test orders',
    value: (t) => (t.order.testmode ? 'TEST MODE' : ''),
  },
};

/**
 * Replaces `{name}` placeholders; `{question_<identifier>}` prints the answer to that question. Unknown
 * placeholders print nothing, so a layout never shows raw braces to a buyer. Separators (` · `, `, `)
 * left dangling by empty values are removed.
 */
export function fillPlaceholders(content: string, ticket: TicketData): string {
  const filled = content.replace(/\{([a-zA-Z0-9_-]+)\}/g, (_m, name: string) => {
    const known = PLACEHOLDERS[name];
    if (known) return known.value(ticket);
    if (name.startsWith('question_')) {
      const id = name.slice('question_'.length);
      return ticket.position.answers.find((a) => a.identifier === id)?.answer ?? '';
    }
    return '';
  });
  return filled
    .split(' · ')
    .filter((part) => part.trim() !== '')
    .join(' · ')
    .trim();
}

/** A ticket with sample data, for layout previews. */
export function sampleTicket(overrides: Partial<TicketData['position']> = {}): TicketData {
  return {
    organizer: 'Théâtre du Guichet',
    event: {
      name: 'Spring Gala Concert',
      slug: 'gala',
      dateFrom: '2030-06-01T18:00:00.000Z',
      dateTo: '2030-06-01T21:30:00.000Z',
      dateAdmission: '2030-06-01T17:30:00.000Z',
      location: 'Grand Hall, 12 Rue de la Paix, Lyon',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      locale: 'en',
    },
    order: { code: 'ABC12', datetime: '2030-05-02T10:15:00.000Z', email: 'zoe@example.org', testmode: false },
    position: {
      id: 1,
      positionid: 1,
      itemId: null,
      secret: 'k24fiuwvu8kxz3y1ny7ypv6pcqfrfqn',
      item: 'Standard Ticket',
      variation: 'Balcony',
      price: '23.00',
      attendeeName: 'Zoë Ødegård',
      attendeeEmail: 'zoe@example.org',
      company: null,
      seat: 'Row C, Seat 14',
      addons: ['Programme booklet'],
      answers: [],
      ...overrides,
    },
  };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { usePick, useT } from '../context';
import { formatDateTime, type MessageKey } from '../i18n';
import type { CheckinCounts, CheckinListView, CheckinTicket, ScanResult } from '../../../shared/contract';
import { DeskEventSelect, NamedOptions, Needs, Screen, type KeyHint } from './common';

/** How a scan's outcome is coloured: green admits, amber needs a look (used, unpaid, questions), red refuses. */
export function scanTone(result: ScanResult): 'ok' | 'warn' | 'bad' {
  if (result.status === 'ok') return 'ok';
  if (result.status === 'incomplete') return 'warn';
  return result.reason === 'already_redeemed' || result.reason === 'unpaid' ? 'warn' : 'bad';
}

const REASONS = [
  'invalid',
  'revoked',
  'canceled',
  'blocked',
  'invalid_time',
  'product',
  'unapproved',
  'unpaid',
  'rules',
  'ambiguous',
  'already_redeemed',
  'error',
];

function headline(result: ScanResult): MessageKey {
  if (result.status === 'ok') return 'checkin.valid';
  if (result.status === 'incomplete') return 'checkin.incomplete';
  const reason = result.reason && REASONS.includes(result.reason) ? result.reason : 'error';
  return `checkin.reason.${reason}` as MessageKey;
}

function ticketLine(ticket: CheckinTicket): string {
  const product = ticket.variationName ? `${ticket.itemName} – ${ticket.variationName}` : ticket.itemName;
  return [ticket.attendeeName, product, `${ticket.orderCode}-${ticket.positionid}`]
    .filter(Boolean)
    .join(' · ');
}

export function CheckinScreen() {
  const t = useT();
  const { locale, eventId, request } = usePick('locale', 'eventId', 'request');
  const [lists, setLists] = useState<CheckinListView[]>([]);
  const [listId, setListId] = useState<number | null>(null);
  const [counts, setCounts] = useState<CheckinCounts | null>(null);
  const [code, setCode] = useState('');
  const [result, setResult] = useState<ScanResult | null>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CheckinTicket[]>([]);
  const [selected, setSelected] = useState(0);
  const scanRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLSelectElement>(null);
  const latestQuery = useRef('');

  const ofEvent = lists.filter((l) => l.eventId === eventId);
  const list = ofEvent.find((l) => l.id === listId) ?? ofEvent[0] ?? null;

  useEffect(() => {
    void request('checkin.lists', {}).then((all) => {
      if (all) setLists(all);
    });
  }, [request]);

  const refreshCounts = useCallback(async () => {
    if (!list) return setCounts(null);
    const next = await request('checkin.status', { eventId: list.eventId, listId: list.id });
    if (next) setCounts(next);
  }, [list, request]);

  useEffect(() => {
    void refreshCounts();
  }, [refreshCounts]);

  useEffect(() => {
    scanRef.current?.focus();
  }, [list?.id]);

  /** The code being checked in: a scanner that sends Enter twice must not show its ticket as used. */
  const redeeming = useRef<string | null>(null);
  const redeem = async (secret: string) => {
    const scanned = secret.trim();
    if (!list || !scanned || redeeming.current === scanned) return;
    redeeming.current = scanned;
    // The field is free at once for the next scan.
    setCode('');
    const answer = await request('checkin.redeem', { listId: list.id, secret: scanned }).finally(() => {
      redeeming.current = null;
    });
    if (answer) setResult(answer);
    scanRef.current?.focus();
    await refreshCounts();
  };

  const search = async (text: string) => {
    setQuery(text);
    latestQuery.current = text;
    setSelected(0);
    if (!list || !text.trim()) return setFound([]);
    const hits = await request('checkin.search', { eventId: list.eventId, listId: list.id, query: text });
    // A slower answer to an older query must not overwrite a newer one.
    if (hits && latestQuery.current === text) setFound(hits.tickets);
  };

  // F2 searches, F3 picks the list, Escape returns to the scan field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F2') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'F3') {
        e.preventDefault();
        listRef.current?.focus();
      } else if (e.key === 'Escape') {
        scanRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const keys: KeyHint[] = [
    ['Enter', t('checkin.redeem')],
    ['F2', t('checkin.search')],
    ['↑↓', t('checkin.choose')],
    ['F3', t('checkin.list')],
    ['Esc', t('checkin.scan')],
  ];
  const used = result?.reason === 'already_redeemed' ? result.ticket?.checkins.at(-1) : undefined;
  return (
    <Screen name="checkin" keys={keys}>
      <Needs method="checkin.redeem">
        <header className="topbar">
          <DeskEventSelect />
          <label>
            {t('checkin.list')}{' '}
            <select
              ref={listRef}
              data-testid="checkin-list"
              value={list?.id ?? ''}
              onChange={(e) => {
                setListId(Number(e.target.value));
                setResult(null);
                setFound([]);
              }}
            >
              <NamedOptions rows={ofEvent} />
            </select>
          </label>
          {counts ? (
            <span className="checkin-counts" data-testid="checkin-counts">
              {t('checkin.counts', { checkedIn: counts.checkedIn, expected: counts.expected })}
            </span>
          ) : null}
        </header>
        {list === null ? (
          <p>{t('checkin.noLists')}</p>
        ) : (
          <div className="checkin-body">
            <form
              className="scan"
              onSubmit={(e) => {
                e.preventDefault();
                void redeem(code);
              }}
            >
              <label>
                {t('checkin.scan')}{' '}
                <input
                  ref={scanRef}
                  data-testid="scan-input"
                  autoComplete="off"
                  aria-label={t('checkin.scan')}
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                />
              </label>
            </form>
            {result ? (
              <div
                className={`scan-result ${scanTone(result)}`}
                data-testid="scan-result"
                data-status={result.status}
                data-reason={result.reason ?? ''}
                role="status"
              >
                <strong>{t(headline(result))}</strong>
                {used ? (
                  <span>{t('checkin.usedAt', { when: formatDateTime(locale, used.datetime) })}</span>
                ) : null}
                {result.ticket ? <span>{ticketLine(result.ticket)}</span> : null}
                {result.explanation ? <span>{result.explanation}</span> : null}
              </div>
            ) : null}
            <section className="checkin-search">
              <input
                ref={searchRef}
                data-testid="checkin-search"
                placeholder={t('checkin.search')}
                aria-label={t('checkin.search')}
                value={query}
                onChange={(e) => void search(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowDown') {
                    e.preventDefault();
                    setSelected(Math.min(selected + 1, found.length - 1));
                  } else if (e.key === 'ArrowUp') {
                    e.preventDefault();
                    setSelected(Math.max(selected - 1, 0));
                  } else if (e.key === 'Enter') {
                    e.preventDefault();
                    const ticket = found[selected];
                    if (ticket) void redeem(ticket.secret);
                  }
                }}
              />
              <ol className="checkin-hits">
                {found.map((ticket, i) => (
                  <li
                    key={ticket.positionId}
                    data-testid="checkin-hit"
                    className={i === selected ? 'selected' : undefined}
                    aria-selected={i === selected}
                    onClick={() => void redeem(ticket.secret)}
                  >
                    {ticketLine(ticket)} · {t(`status.${ticket.orderStatus}` as MessageKey)}
                    {ticket.checkins.length > 0 ? ` · ${t('checkin.inside')}` : ''}
                  </li>
                ))}
              </ol>
            </section>
          </div>
        )}
      </Needs>
    </Screen>
  );
}

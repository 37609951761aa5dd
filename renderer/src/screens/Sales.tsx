import { useEffect, useRef, useState } from 'react';
import { typingInField, useDesk, useT } from '../context';
import { formatCountdown } from '../i18n';
import { formatMoney } from '../money';
import { changeDue } from '../store';
import type { ProductTile } from '../../../shared/contract';
import { Screen, type KeyHint } from './common';
import { QuestionField } from './QuestionField';

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Prints a PDF through a hidden frame of the desk's own page (no new window, no remote content). */
export function printPdf(base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const frame = document.createElement('iframe');
  frame.style.display = 'none';
  frame.src = url;
  frame.onload = () => {
    frame.contentWindow?.print();
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  };
  document.body.appendChild(frame);
}

function Tile({ tile, index, currency }: { tile: ProductTile; index: number; currency: string }) {
  const t = useT();
  const locale = useDesk((s) => s.locale);
  const add = useDesk((s) => s.addToCart);
  const blocked = tile.availability === 'sold_out' || tile.availability === 'no_quota';
  const label =
    tile.availability === 'sold_out'
      ? t('sales.soldOut')
      : tile.availability === 'no_quota'
        ? t('sales.noQuota')
        : tile.availability === 'low'
          ? t('sales.low', { n: tile.free ?? 0 })
          : tile.free === null
            ? t('sales.unlimited')
            : t('sales.free', { n: tile.free });
  return (
    <button
      className={`tile ${tile.availability}`}
      data-testid="tile"
      data-availability={tile.availability}
      disabled={blocked}
      onClick={() => void add(tile)}
    >
      {index < 9 ? <kbd className="tile-key">{index + 1}</kbd> : null}
      <span className="tile-name">{tile.name}</span>
      <span className="tile-price">{formatMoney(locale, tile.price, currency)}</span>
      <span className="tile-stock">{label}</span>
    </button>
  );
}

export function SalesScreen() {
  const t = useT();
  const s = useDesk((state) => state);
  const printReceipt = async (id: number) => {
    const paper = s.info?.settings.printer.paper === '80mm' ? '80mm' : 'a4';
    const receipt = await s.request('receipts.pdf', { id, paper });
    if (receipt) printPdf(receipt.pdf);
  };
  const now = useNow();
  const event = s.events.find((e) => e.id === s.eventId) ?? null;
  const currency = event?.currency ?? 'EUR';
  const firstField = useRef<HTMLInputElement>(null);
  const givenField = useRef<HTMLInputElement>(null);
  const cartLines = s.cart?.lines ?? [];
  const expiresAt = s.cart?.expires ? Date.parse(s.cart.expires) : null;
  const remaining = expiresAt === null ? null : expiresAt - now;

  // When a reservation runs out, ask again: the server has freed the places.
  useEffect(() => {
    if (remaining !== null && remaining <= 0 && s.can('cart.get')) void s.refreshCart();
  }, [remaining !== null && remaining <= 0]);

  // Availability changes with other desks and scanners: refresh the tiles now and then.
  useEffect(() => {
    const timer = setInterval(() => void s.refreshTiles(), 5000);
    return () => clearInterval(timer);
  }, [s.eventId, s.subeventId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F9') {
        e.preventDefault();
        void s.quickSell();
        return;
      }
      if (e.key === 'F2') {
        e.preventDefault();
        void s.nextSale();
        return;
      }
      if ((e.key === 'Enter' && e.ctrlKey) || e.key === 'F8') {
        e.preventDefault();
        void s.completeSale();
        return;
      }
      if (typingInField(e) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (/^[1-9]$/.test(e.key)) {
        const tile = s.tiles[Number(e.key) - 1];
        if (tile && tile.availability !== 'sold_out' && tile.availability !== 'no_quota') {
          e.preventDefault();
          void s.addToCart(tile);
        }
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        const last = cartLines.at(-1);
        if (last) {
          e.preventDefault();
          void s.removeLine(last.id);
        }
      } else if (e.key === 'Enter') {
        if (cartLines.length > 0) {
          e.preventDefault();
          (firstField.current ?? givenField.current)?.focus();
        } else if (s.lastSale) {
          e.preventDefault();
          void s.nextSale();
        }
      } else if (e.key === 'p' && s.lastSale?.ticketPdf) printPdf(s.lastSale.ticketPdf);
      else if (e.key === 'r' && s.lastSale?.receipt) void printReceipt(s.lastSale.receipt.id);
      else if (e.key === 'c') s.setPayment('cash');
      else if (e.key === 'k') s.setPayment('card');
      else if (e.key === 'o') s.setPayment('other');
      else if (e.key === 'f') s.setPayment('free');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s, cartLines]);

  const change = s.cart ? changeDue(s.cart.total, s.given || s.cart.total) : null;
  const tileOf = (itemId: number, variationId: number | null) =>
    s.tiles.find((tile) => tile.itemId === itemId && tile.variationId === variationId);

  const keys: KeyHint[] = [
    ['1–9', t('sales.cart') + ' +1'],
    ['⌫', t('sales.remove')],
    ['Enter', t('sales.attendee')],
    ['C / K / O / F', t('sales.payment')],
    ['Ctrl+Enter', t('sales.complete')],
    ['F9', t('sales.quickSell')],
    ['F2', t('sales.next')],
  ];
  return (
    <Screen name="sales" keys={keys}>
      <header className="topbar">
        {s.events.length === 0 ? (
          <p>{t('sales.noEvents')}</p>
        ) : (
          <>
            <label>
              {t('sales.event')}{' '}
              <select
                value={s.eventId ?? ''}
                onChange={(e) => {
                  const next = s.events.find((ev) => ev.id === Number(e.target.value));
                  if (next)
                    void s.selectEvent(next.id, next.hasSubevents ? (next.subevents[0]?.id ?? null) : null);
                }}
              >
                {s.events.map((ev) => (
                  <option key={ev.id} value={ev.id}>
                    {ev.name}
                  </option>
                ))}
              </select>
            </label>
            {event?.hasSubevents ? (
              <label>
                {t('sales.date')}{' '}
                <select
                  value={s.subeventId ?? ''}
                  onChange={(e) => void s.selectEvent(event.id, Number(e.target.value))}
                >
                  {event.subevents.map((sub) => (
                    <option key={sub.id} value={sub.id}>
                      {sub.name} {sub.dateFrom.slice(0, 16).replace('T', ' ')}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </>
        )}
        <button className="quick" onClick={() => void s.quickSell()} disabled={!s.can('sale.quickSell')}>
          {t('sales.quickSell')} <kbd>F9</kbd>
        </button>
      </header>

      {s.till && !s.till.shift ? (
        <p className="notice error" role="alert" data-testid="no-shift">
          {t('shift.needShift', { desk: s.till.desk })}
        </p>
      ) : null}
      <div className="sales-body">
        <div className="tiles" aria-label={t('a11y.products')}>
          {s.tiles.length === 0 && event ? <p>{t('sales.noTiles')}</p> : null}
          {s.tiles.map((tile, i) => (
            <Tile key={`${tile.itemId}-${tile.variationId ?? 0}`} tile={tile} index={i} currency={currency} />
          ))}
        </div>

        <aside className="cart" aria-label={t('sales.cart')}>
          <h2>{t('sales.cart')}</h2>
          {s.lastSale ? (
            <div className="done" data-testid="sale-done">
              <p className="done-title">{t('sales.done', { code: s.lastSale.orderCode })}</p>
              <ul className="sold" data-testid="sold-lines">
                {s.lastSale.lines.map((line, i) => (
                  <li key={i}>
                    {line.name} <span>{formatMoney(s.locale, line.price, currency)}</span>
                  </li>
                ))}
              </ul>
              {s.lastSale.change !== null ? (
                <p className="change">
                  {t('sales.change')}: {formatMoney(s.locale, s.lastSale.change, currency)}
                </p>
              ) : null}
              {s.lastSale.receipt ? (
                <button data-testid="receipt-pdf" onClick={() => void printReceipt(s.lastSale!.receipt!.id)}>
                  {t('sales.receipt', { n: s.lastSale.receipt.number })} <kbd>R</kbd>
                </button>
              ) : null}
              {s.lastSale.ticketPdf ? (
                <button data-testid="ticket-pdf" onClick={() => printPdf(s.lastSale!.ticketPdf!)}>
                  {t('sales.print')} <kbd>P</kbd>
                </button>
              ) : s.lastSale.printJob ? (
                <p className="hint" data-testid="sale-printing">
                  {t('sales.printing', { printer: s.lastSale.printJob.printerName })}
                </p>
              ) : (
                <p className="hint">{t('sales.noTicket')}</p>
              )}
              <button onClick={() => void s.nextSale()}>
                {t('sales.next')} <kbd>Enter</kbd>
              </button>
            </div>
          ) : null}
          {cartLines.length === 0 && !s.lastSale ? <p className="hint">{t('sales.cartEmpty')}</p> : null}
          {cartLines.length > 0 && s.cart ? (
            <>
              <p
                className={remaining !== null && remaining <= 60_000 ? 'countdown urgent' : 'countdown'}
                data-testid="countdown"
              >
                {remaining !== null && remaining > 0
                  ? t('sales.expiresIn', { time: formatCountdown(remaining) })
                  : t('sales.expired')}
              </p>
              <ol className="lines">
                {cartLines.map((line, i) => {
                  const details = s.lineDetails[line.id] ?? { attendeeName: '', answers: {} };
                  const questions = tileOf(line.itemId, line.variationId)?.questions ?? [];
                  return (
                    <li key={line.id} className="line">
                      <div className="line-head">
                        <span>{line.name}</span>
                        <span>{formatMoney(s.locale, line.price, currency)}</span>
                        <button
                          className="link"
                          tabIndex={-1}
                          onClick={() => void s.removeLine(line.id)}
                          aria-label={t('sales.remove')}
                        >
                          ×
                        </button>
                      </div>
                      <input
                        ref={i === 0 ? firstField : undefined}
                        placeholder={t('sales.attendee')}
                        aria-label={`${t('sales.attendee')} ${i + 1}`}
                        value={details.attendeeName}
                        onChange={(e) => s.setLine(line.id, { attendeeName: e.target.value })}
                      />
                      <input
                        className="line-price"
                        tabIndex={-1}
                        inputMode="decimal"
                        placeholder={line.price}
                        aria-label={`${t('sales.price')} ${i + 1}`}
                        value={details.price ?? ''}
                        onChange={(e) => s.setLine(line.id, { price: e.target.value })}
                      />
                      {questions.map((q) => (
                        <QuestionField
                          key={q.id}
                          question={q}
                          locale={s.locale}
                          label={`${q.question} ${i + 1}`}
                          value={details.answers[q.id] ?? ''}
                          onChange={(answer) =>
                            s.setLine(line.id, { answers: { ...details.answers, [q.id]: answer } })
                          }
                        />
                      ))}
                    </li>
                  );
                })}
              </ol>
              <input
                type="email"
                placeholder={t('sales.email')}
                aria-label={t('sales.email')}
                value={s.email}
                onChange={(e) => s.setEmail(e.target.value)}
              />
              {s.payment === 'free' || cartLines.some((l) => s.lineDetails[l.id]?.price?.trim()) ? (
                <input
                  placeholder={t('sales.priceReason')}
                  aria-label={t('sales.priceReason')}
                  value={s.priceReason}
                  onChange={(e) => s.setPriceReason(e.target.value)}
                />
              ) : null}
              <p className="total">
                {t('sales.total')}:{' '}
                <strong data-testid="cart-total">{formatMoney(s.locale, s.cart.total, currency)}</strong>
              </p>
              <fieldset className="payment">
                <legend>{t('sales.payment')}</legend>
                {(['cash', 'card', 'other', 'free'] as const).map((m) => (
                  <label key={m}>
                    <input
                      type="radio"
                      name="payment"
                      checked={s.payment === m}
                      onChange={() => s.setPayment(m)}
                    />
                    {t(m === 'free' ? 'sales.freeOfCharge' : `method.${m}`)}{' '}
                    <kbd>{{ cash: 'C', card: 'K', other: 'O', free: 'F' }[m]}</kbd>
                  </label>
                ))}
                {s.payment === 'cash' ? (
                  <label>
                    {t('sales.given')}{' '}
                    <input
                      ref={givenField}
                      inputMode="decimal"
                      aria-label={t('sales.given')}
                      value={s.given}
                      placeholder={s.cart.total}
                      onChange={(e) => s.setGiven(e.target.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          void s.completeSale();
                        }
                      }}
                    />
                    <span className="change">
                      {t('sales.change')}: {change === null ? '—' : formatMoney(s.locale, change, currency)}
                    </span>
                  </label>
                ) : null}
                {s.payment === 'card' ? <p className="hint">{t('sales.cardConfirm')}</p> : null}
              </fieldset>
              <button
                className="primary"
                disabled={s.busy || s.completing || !s.can('sale.complete')}
                onClick={() => void s.completeSale()}
              >
                {t('sales.complete')} <kbd>{t('key.ctrl')}+Enter</kbd>
              </button>
            </>
          ) : null}
        </aside>
      </div>
    </Screen>
  );
}

import { useEffect, useState } from 'react';
import { useDesk, useT } from '../context';
import { formatMoney } from '../i18n';
import type { SetupEventView } from '../../../shared/contract';
import { Needs, Section } from './common';

/** Sold / reserved / free as one bar. */
export function QuotaBar({
  size,
  paid,
  pending,
  reserved,
}: {
  size: number | null;
  paid: number;
  pending: number;
  reserved: number;
}) {
  const t = useT();
  const total = size ?? Math.max(1, paid + pending + reserved);
  const pct = (n: number) => `${Math.min(100, (n / Math.max(1, total)) * 100)}%`;
  const free = size === null ? null : Math.max(0, size - paid - pending - reserved);
  return (
    <div className="quota">
      <div className="quota-bar" aria-hidden="true">
        <span className="sold" style={{ width: pct(paid + pending) }} />
        <span className="reserved" style={{ width: pct(reserved) }} />
      </div>
      <span className="quota-legend">
        {paid + pending} {t('setup.sold')} · {reserved} {t('setup.reserved')} · {free ?? '∞'}{' '}
        {t('setup.freeCount')}
        {size !== null ? ` / ${size}` : ''}
      </span>
    </div>
  );
}

export function SetupScreen() {
  const t = useT();
  const events = useDesk((s) => s.events);
  const eventId = useDesk((s) => s.eventId);
  const request = useDesk((s) => s.request);
  const locale = useDesk((s) => s.locale);
  const [selected, setSelected] = useState<number | null>(eventId);
  const [view, setView] = useState<SetupEventView | null>(null);
  useEffect(() => {
    if (selected !== null) void request('setup.event', { eventId: selected }).then(setView);
  }, [selected, request]);
  return (
    <div className="screen setup">
      <Needs method="setup.event">
        {events.length === 0 ? <p>{t('sales.noEvents')}</p> : null}
        <div className="row">
          {events.map((e) => (
            <button
              key={e.id}
              className={e.id === selected ? 'active' : undefined}
              onClick={() => setSelected(e.id)}
            >
              {e.name}
            </button>
          ))}
        </div>
        {view ? (
          <div className="columns">
            <Section title={t('setup.items')}>
              <table>
                <tbody>
                  {view.items.map((i) => (
                    <tr key={i.id} className={i.active ? undefined : 'canceled'}>
                      <td>{i.name}</td>
                      <td>{formatMoney(locale, i.price, view.currency)}</td>
                      <td>{i.variations.map((v) => v.value).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
            <Section title={t('setup.quotas')}>
              {view.quotas.map((q) => (
                <div key={q.id} className="quota-row">
                  <strong>{q.name}</strong>
                  <QuotaBar size={q.size} paid={q.paid} pending={q.pending} reserved={q.reserved} />
                </div>
              ))}
            </Section>
            {view.hasSubevents ? (
              <Section title={t('setup.dates')}>
                <ul>
                  {view.subevents.map((s) => (
                    <li key={s.id}>
                      {s.name} {s.dateFrom.slice(0, 16).replace('T', ' ')}
                    </li>
                  ))}
                </ul>
              </Section>
            ) : null}
            <Section title={t('setup.questions')}>
              <ul>
                {view.questions.map((q) => (
                  <li key={q.id}>
                    {q.question} ({q.type}){q.required ? ' *' : ''}
                  </li>
                ))}
              </ul>
            </Section>
            <Section title={t('setup.taxRules')}>
              <ul>
                {view.taxRules.map((r) => (
                  <li key={r.id}>
                    {r.name} {r.rate} %
                  </li>
                ))}
              </ul>
            </Section>
            <Section title={t('setup.checkinLists')}>
              <ul>
                {view.checkinLists.map((l) => (
                  <li key={l.id}>{l.name}</li>
                ))}
              </ul>
            </Section>
          </div>
        ) : null}
      </Needs>
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useDesk, usePick, useT } from '../context';
import { formatDateTime } from '../i18n';
import { formatMoney } from '../money';
import type { DashboardStats, ShiftView } from '../../../shared/contract';
import { ReportButtons, ShiftFigures } from './Shift';
import { NamedOptions, Needs, Section, Field } from './common';

/** Tickets per hour as an SVG bar chart; no chart library needed for 24 bars. */
function HourlyChart({ hourly, label }: { hourly: number[]; label: string }) {
  const max = Math.max(1, ...hourly);
  const w = 24 * 22;
  const h = 140;
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h + 18}`} role="img" aria-label={label}>
      {hourly.map((n, hour) => {
        const bh = (n / max) * h;
        return (
          <g key={hour}>
            <rect x={hour * 22 + 2} y={h - bh} width={18} height={bh} />
            {hour % 3 === 0 ? (
              <text x={hour * 22 + 11} y={h + 14} textAnchor="middle">
                {hour}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** The open shift, or any closed one picked from the list, with its figures and reports. */
function ShiftPanel() {
  const t = useT();
  const { till, locale, request } = usePick('till', 'locale', 'request');
  const [closed, setClosed] = useState<ShiftView[]>([]);
  const [picked, setPicked] = useState<number | 'current'>('current');
  useEffect(() => {
    void request('shift.list', { desk: null, date: null }).then((list) => {
      if (list) setClosed(list.filter((s) => s.state === 'closed'));
    });
  }, [request, till?.shift?.id]);
  const shown = picked === 'current' ? (till?.shift ?? null) : (closed.find((s) => s.id === picked) ?? null);
  return (
    <Section title={picked === 'current' ? t('shift.current') : t('shift.pick')}>
      <select
        aria-label={t('shift.pick')}
        value={String(picked)}
        onChange={(e) => setPicked(e.target.value === 'current' ? 'current' : Number(e.target.value))}
      >
        <option value="current">{t('shift.current')}</option>
        {closed.map((s) => (
          <option key={s.id} value={s.id}>
            {s.desk} · {t('shift.zReport', { n: s.zNumber ?? '' })} ·{' '}
            {formatDateTime(locale, s.closed ?? s.opened)}
          </option>
        ))}
      </select>
      {shown ? (
        <>
          <ShiftFigures shift={shown} />
          <ReportButtons shift={shown} />
        </>
      ) : (
        <p className="hint">{t('shift.none', { desk: till?.desk ?? '' })}</p>
      )}
    </Section>
  );
}

export function DashboardScreen() {
  const t = useT();
  const { request, locale, events } = usePick('request', 'locale', 'events');
  const can = useDesk((s) => s.can('dashboard.stats'));
  const canShifts = useDesk((s) => s.can('shift.list'));
  const [stats, setStats] = useState<DashboardStats | null>(null);
  const [eventId, setEventId] = useState<number | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => {
    if (can)
      void request('dashboard.stats', { eventId, from: from || null, to: to || null }).then(
        (next) => next && setStats(next),
      );
  }, [can, request, eventId, from, to]);
  const money = (amount: string) => formatMoney(locale, amount, stats?.currency ?? 'EUR');
  /** One end of the period shown (the figures' own when none is chosen). */
  const day = (label: string, value: string, onChange: (day: string) => void) => (
    <Field label={label} shown={<>{label} </>} value={value} onChange={onChange} type="date" />
  );
  return (
    <div className="screen dashboard">
      {canShifts ? <ShiftPanel /> : null}
      <Needs method="dashboard.stats">
        <div className="row">
          <label>
            {t('sales.event')}{' '}
            <select
              aria-label={t('sales.event')}
              value={eventId ?? ''}
              onChange={(e) => setEventId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">{t('dashboard.allEvents')}</option>
              <NamedOptions rows={events} />
            </select>
          </label>
          {day(t('dashboard.from'), from || stats?.from || '', setFrom)}
          {day(t('dashboard.to'), to || stats?.to || '', setTo)}
        </div>
        {stats ? (
          <>
            <div className="figures">
              <div className="figure">
                <span className="figure-value" data-testid="tickets-today">
                  {stats.ticketsSold}
                </span>
                <span>{t('dashboard.today')}</span>
              </div>
              <div className="figure">
                <span className="figure-value" data-testid="takings-total">
                  {money(stats.takings)}
                </span>
                <span>{t('dashboard.takings')}</span>
              </div>
              {stats.byPaymentMethod.map((p) => (
                <div className="figure" key={p.method} data-testid={`takings-${p.method}`}>
                  <span className="figure-value">{money(p.net)}</span>
                  <span>{t(`method.${p.method}`)}</span>
                  <span className="hint">
                    {t('dashboard.inOut', { taken: money(p.taken), refunded: money(p.refunded) })}
                  </span>
                </div>
              ))}
            </div>
            <div className="columns">
              <Section title={t('dashboard.perItem')} empty={stats.perItem.length === 0}>
                <table>
                  <tbody>
                    {stats.perItem.map((r) => (
                      <tr key={r.itemId ?? 'fees'}>
                        <td>{r.itemId === null ? t('dashboard.fees') : r.item}</td>
                        <td>{r.itemId === null ? '' : r.count}</td>
                        <td>{money(r.revenue)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Section>
              {stats.byEvent.length > 1 ? (
                <Section title={t('dashboard.perEvent')}>
                  <table>
                    <tbody>
                      {stats.byEvent.map((e) => (
                        <tr key={e.eventId}>
                          <td>{e.event}</td>
                          <td>{money(e.net)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Section>
              ) : null}
              <Section title={t('dashboard.hourly')}>
                <HourlyChart hourly={stats.hourly} label={t('a11y.hourly')} />
              </Section>
            </div>
          </>
        ) : (
          <p>{t('common.loading')}</p>
        )}
      </Needs>
    </div>
  );
}

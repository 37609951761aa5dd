import { useEffect, useState } from 'react';
import { useDesk, useT } from '../context';
import { formatMoney } from '../i18n';
import type { DashboardStats } from '../../../shared/contract';
import { Needs, Section } from './common';

/** Tickets per hour as an SVG bar chart; no chart library needed for 24 bars. */
function HourlyChart({ hourly }: { hourly: number[] }) {
  const max = Math.max(1, ...hourly);
  const w = 24 * 22;
  const h = 140;
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h + 18}`} role="img" aria-label="hourly">
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

export function DashboardScreen() {
  const t = useT();
  const request = useDesk((s) => s.request);
  const locale = useDesk((s) => s.locale);
  const can = useDesk((s) => s.can('dashboard.stats'));
  const [stats, setStats] = useState<DashboardStats | null>(null);
  useEffect(() => {
    if (can) void request('dashboard.stats', { day: null }).then(setStats);
  }, [can, request]);
  return (
    <div className="screen dashboard">
      <Needs method="dashboard.stats">
        {stats ? (
          <>
            <div className="figures">
              <div className="figure">
                <span className="figure-value" data-testid="tickets-today">
                  {stats.ticketsToday}
                </span>
                <span>{t('dashboard.today')}</span>
              </div>
              {stats.byPaymentMethod.map((p) => (
                <div className="figure" key={p.provider}>
                  <span className="figure-value">{formatMoney(locale, p.amount, stats.currency)}</span>
                  <span>{p.provider}</span>
                </div>
              ))}
            </div>
            <div className="columns">
              <Section title={t('dashboard.perItem')}>
                {stats.perItem.length === 0 ? <p>{t('common.none')}</p> : null}
                <table>
                  <tbody>
                    {stats.perItem.map((r) => (
                      <tr key={r.item}>
                        <td>{r.item}</td>
                        <td>{r.count}</td>
                        <td>{formatMoney(locale, r.revenue, stats.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Section>
              <Section title={t('dashboard.hourly')}>
                <HourlyChart hourly={stats.hourly} />
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

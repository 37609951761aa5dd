import { useEffect, useState } from 'react';
import { useDesk, usePick, useT } from '../context';
import { formatDateTime, isMessageKey, todayIn, type MessageKey } from '../i18n';
import { formatMoney } from '../money';
import type { ShiftView, SlipPaper } from '../../../shared/contract';
import { Needs, Section, Field, FormSection, TableHead, Screen, type KeyHint } from './common';
import { printPdf } from './Sales';
import { StaffSections } from './Staff';
import { useConfirm } from './Confirm';

/** Cents of a decimal text, exact (the desk never adds money in floating point). */
function cents(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return 0;
  const value = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -value : value;
}

function decimal(c: number): string {
  const abs = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A shift's figures: sales, refunds, comps, per payment method, the drawer. */
export function ShiftFigures({ shift }: { shift: ShiftView }) {
  const t = useT();
  const locale = useDesk((s) => s.locale);
  const f = shift.figures;
  const m = (v: string) => formatMoney(locale, v, f.currency);
  return (
    <div className="shift-figures" data-testid="shift-figures">
      <table>
        <tbody>
          <tr>
            <th>
              {t('shift.sales')} ({f.sales.count})
            </th>
            <td>{m(f.sales.total)}</td>
          </tr>
          <tr>
            <th>
              {t('shift.refunds')} ({f.refunds.count})
            </th>
            <td>{m(decimal(-cents(f.refunds.total)))}</td>
          </tr>
          <tr>
            <th>{t('shift.comps')}</th>
            <td>{f.comps.count}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <TableHead columns={['shift.method', 'shift.sales', 'shift.refunds', 'shift.net']} />
        <tbody>
          {f.byMethod.map((row) => (
            <tr key={row.method}>
              <td className="method">
                {isMessageKey(`method.${row.method}`) ? t(`method.${row.method}` as MessageKey) : row.method}
              </td>
              <td>{m(row.sales)}</td>
              <td>{m(row.refunds)}</td>
              <td>{m(row.net)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <tbody>
          <tr>
            <th>{t('shift.float0')}</th>
            <td>{m(f.openingFloat)}</td>
          </tr>
          <tr>
            <th>{t('shift.in')}</th>
            <td>{m(f.cashIn)}</td>
          </tr>
          <tr>
            <th>{t('shift.out')}</th>
            <td>{m(decimal(-cents(f.cashOut)))}</td>
          </tr>
          <tr className="strong">
            <th>{t('shift.expected')}</th>
            <td data-testid="expected-cash">{m(shift.expectedCash)}</td>
          </tr>
          {shift.state === 'closed' ? (
            <>
              <tr>
                <th>{t('shift.counted')}</th>
                <td>{m(shift.countedCash ?? '0')}</td>
              </tr>
              <tr className="strong">
                <th>{t('shift.difference')}</th>
                <td data-testid="difference">{m(shift.difference ?? '0')}</td>
              </tr>
              {shift.comment ? (
                <tr>
                  <th>{t('shift.comment')}</th>
                  <td data-testid="closing-comment">{shift.comment}</td>
                </tr>
              ) : null}
            </>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** Buttons that print a shift's X (open) or Z (closed) report on A4 or 80 mm. */
export function ReportButtons({ shift }: { shift: ShiftView }) {
  const t = useT();
  const { request, say } = usePick('request', 'say');
  const print = async (paper: SlipPaper) => {
    const report = await request('shift.report', { id: shift.id, paper, printKey: crypto.randomUUID() });
    if (report?.printedOn) say(t('shift.reportQueued', { printer: report.printedOn }));
    else if (report) printPdf(report.pdf);
  };
  const label = shift.state === 'open' ? t('shift.x') : t('shift.zReport', { n: shift.zNumber ?? '' });
  return (
    <span className="report-buttons">
      <button type="button" data-testid={`report-${shift.id}-a4`} onClick={() => void print('a4')}>
        {label} · {t('shift.a4')}
      </button>
      <button type="button" data-testid={`report-${shift.id}-80mm`} onClick={() => void print('80mm')}>
        {label} · {t('shift.80mm')}
      </button>
    </span>
  );
}

function OpenShiftForm() {
  const t = useT();
  const till = useDesk((s) => s.till)!;
  const { request, setTill } = usePick('request', 'setTill');
  const [float, setFloat] = useState('');
  return (
    <FormSection
      title={t('shift.none', { desk: till.desk })}
      onSubmit={() =>
        request('shift.open', { openingFloat: float.trim() || '0', currency: till.currency }).then(
          (s) => s && setTill(s),
        )
      }
    >
      <Field
        label={t('shift.float')}
        shown={
          <>
            {t('shift.float')} ({till.currency})
          </>
        }
        value={float}
        onChange={setFloat}
        autoFocus
        inputMode="decimal"
      />
      <button type="submit" className="primary">
        {t('shift.open')} <kbd>Enter</kbd>
      </button>
    </FormSection>
  );
}

function CashMoveForm() {
  const t = useT();
  const { withManager, setTill } = usePick('withManager', 'setTill');
  const [kind, setKind] = useState<'in' | 'out'>('in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  return (
    <FormSection
      title={t('shift.move')}
      onSubmit={() =>
        withManager(
          'shift.cash',
          { kind, amount: amount.trim(), reason: reason.trim(), managerPin: null },
          t('shift.moved'),
        ).then((s) => {
          if (!s) return;
          setTill(s);
          setAmount('');
          setReason('');
        })
      }
    >
      <select
        value={kind}
        onChange={(e) => setKind(e.target.value as 'in' | 'out')}
        aria-label={t('shift.move')}
      >
        <option value="in">{t('shift.cashIn')}</option>
        <option value="out">{t('shift.cashOut')}</option>
      </select>
      <Field label={t('shift.amount')} value={amount} onChange={setAmount} inputMode="decimal" />
      <Field label={t('shift.reason')} value={reason} onChange={setReason} />
      <button type="submit">{t('shift.record')}</button>
    </FormSection>
  );
}

function CloseForm({ shift, onClosed }: { shift: ShiftView; onClosed: (z: ShiftView) => void }) {
  const t = useT();
  const till = useDesk((s) => s.till)!;
  const { locale, request } = usePick('locale', 'request');
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [dialog, confirm] = useConfirm();
  const counted = till.denominations.reduce((sum, d) => sum + cents(d) * (Number(counts[d] ?? '0') || 0), 0);
  const difference = counted - cents(shift.expectedCash);
  const m = (c: number) => formatMoney(locale, decimal(c), shift.currency);
  // Closing is final: asked in a dialog whose keeping choice has the focus, so Enter pressed twice
  // in a count field does not close the shift.
  const submit = async () => {
    const choice = await confirm({
      title: t('shift.closeTitle', { desk: till.desk }),
      lines: [
        `${t('shift.counted')}: ${m(counted)} · ${t('shift.expected')}: ${m(cents(shift.expectedCash))} · ${t('shift.difference')}: ${m(difference)}`,
        t('shift.closeFinal'),
      ],
      choices: [
        { id: 'close', label: t('shift.close'), danger: true },
        { id: 'keep', label: t('shift.keepCounting') },
      ],
    });
    if (choice !== 'close') return;
    const count: Record<string, number> = {};
    for (const d of till.denominations) {
      const n = Number(counts[d] ?? '0');
      if (Number.isInteger(n) && n > 0) count[d] = n;
    }
    const z = await request('shift.close', { count, comment: comment.trim() });
    if (z) onClosed(z);
  };
  return (
    <>
      {dialog}
      <FormSection title={t('shift.count')} className="close-form" onSubmit={submit}>
        <div className="denominations">
          {till.denominations.map((d) => (
            <label key={d} className="denomination">
              <span>{formatMoney(locale, d, shift.currency)}</span>
              <input
                inputMode="numeric"
                value={counts[d] ?? ''}
                onChange={(e) => setCounts({ ...counts, [d]: e.target.value.replace(/\D/g, '') })}
                aria-label={`${t('shift.pieces')} ${d}`}
                data-denomination={d}
              />
            </label>
          ))}
        </div>
        <table className="close-sums">
          <tbody>
            <tr>
              <th>{t('shift.counted')}</th>
              <td data-testid="counted">{m(counted)}</td>
            </tr>
            <tr>
              <th>{t('shift.expected')}</th>
              <td>{m(cents(shift.expectedCash))}</td>
            </tr>
            <tr className={difference === 0 ? 'strong' : 'strong differs'}>
              <th>{t('shift.difference')}</th>
              <td data-testid="close-difference">{m(difference)}</td>
            </tr>
          </tbody>
        </table>
        <Field label={t('shift.comment')} value={comment} onChange={setComment} />
        <button type="submit" className="primary" data-testid="close-shift">
          {t('shift.close')}
        </button>
      </FormSection>
    </>
  );
}

/** Reports of one desk and day, with their PDFs. */
export function ReportList() {
  const t = useT();
  const { till, locale, request } = usePick('till', 'locale', 'request');
  const [desk, setDesk] = useState(till?.desk ?? '');
  const timeZone = till?.timeZone ?? 'UTC';
  // Today on the desk's wall clock until a date is picked (the till may load after this list).
  const [picked, setDate] = useState<string | null>(null);
  const date = picked ?? todayIn(timeZone);
  const [shifts, setShifts] = useState<ShiftView[]>([]);
  const openShift = till?.shift?.id;
  useEffect(() => {
    void request('shift.list', { desk: desk.trim() || null, date: date || null }).then((list) => {
      if (list) setShifts(list.filter((s) => s.state === 'closed'));
    });
  }, [desk, date, request, openShift]);
  return (
    <Section title={t('shift.reports')}>
      <form className="row" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('shift.desk')} value={desk} onChange={setDesk} />
        <Field label={t('shift.date')} value={date} onChange={setDate} type="date" />
      </form>
      {shifts.length === 0 ? <p className="hint">{t('shift.noReports')}</p> : null}
      <table className="reports" data-testid="reports">
        <tbody>
          {shifts.map((s) => (
            <tr key={s.id} data-testid={`z-${s.zNumber}`}>
              <td>
                {s.desk} · {t('shift.zReport', { n: s.zNumber ?? '' })}
              </td>
              <td>
                {t('shift.closedAt', {
                  when: formatDateTime(locale, s.closed ?? s.opened, timeZone),
                  who: s.closedBy ?? '',
                })}
              </td>
              <td>{formatMoney(locale, s.countedCash ?? '0', s.currency)}</td>
              <td>{formatMoney(locale, s.difference ?? '0', s.currency)}</td>
              <td>{s.comment}</td>
              <td>
                <ReportButtons shift={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function ShiftScreen() {
  const t = useT();
  const { till, locale, setTill, loadTill, withManager } = usePick(
    'till',
    'locale',
    'setTill',
    'loadTill',
    'withManager',
  );
  const [lastZ, setLastZ] = useState<ShiftView | null>(null);
  const shift = till?.shift ?? null;
  const keys: KeyHint[] = [
    ['Alt+9', t('nav.shift')],
    ['Alt+L', t('till.switch')],
    ['Enter', shift ? t('shift.record') : t('shift.open')],
  ];
  return (
    <Screen name="shift" keys={keys}>
      <Needs method="till.session">
        {till && !shift ? <OpenShiftForm /> : null}
        {lastZ && !shift ? (
          <Section title={t('shift.closedOk', { n: lastZ.zNumber ?? '' })}>
            <ShiftFigures shift={lastZ} />
            <ReportButtons shift={lastZ} />
          </Section>
        ) : null}
        {shift ? (
          <>
            <Section
              title={t('shift.opened', {
                when: formatDateTime(locale, shift.opened, till?.timeZone),
                who: shift.openedBy,
                float: formatMoney(locale, shift.openingFloat, shift.currency),
              })}
            >
              <ShiftFigures shift={shift} />
              <ReportButtons shift={shift} />
              <button
                type="button"
                onClick={() =>
                  void withManager('shift.openDrawer', { managerPin: null }).then((s) => s && setTill(s))
                }
              >
                {t('shift.openDrawer')}
              </button>
            </Section>
            <div className="columns">
              <CashMoveForm />
              <CloseForm
                shift={shift}
                onClosed={(z) => {
                  setLastZ(z);
                  void loadTill();
                }}
              />
            </div>
          </>
        ) : null}
        <ReportList />
        <StaffSections />
      </Needs>
    </Screen>
  );
}

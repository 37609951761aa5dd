import { useCallback, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { useDesk, usePick, useT } from '../context';
import type { MessageKey } from '../i18n';
import { DESK_METHODS, type DeskMethod, type RpcMethod } from '../../../shared/contract';

/** The keys that work on this screen now, always on show. */
export function KeyBar({ keys }: { keys: KeyHint[] }) {
  const t = useT();
  return (
    <footer className="keybar" aria-label={t('keys.title')}>
      {keys.map(([key, label]) => (
        <span key={key} className="key">
          <kbd>{key.replace('Ctrl', t('key.ctrl'))}</kbd> {label}
        </span>
      ))}
    </footer>
  );
}

/** Says plainly when a part of the desk is not served by this build, instead of pretending. */
export function Needs({ method, children }: { method: RpcMethod; children: ReactNode }) {
  const t = useT();
  const can = useDesk((s) => s.can(method));
  const loaded = useDesk((s) => s.info !== null);
  if (!loaded) return null;
  if (!can) return <p className="unavailable">{t('common.notAvailable', { what: method })}</p>;
  return <>{children}</>;
}

/** A titled card; `empty` says so in words above whatever it holds. */
export function Section({ title, empty, children }: { title: string; empty?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <section className="section">
      <h2>{title}</h2>
      {empty ? <p>{t('common.none')}</p> : null}
      {children}
    </section>
  );
}

/** A section listing its rows one a line. */
export function ListSection<R>({
  title,
  rows,
  line,
}: {
  title: string;
  rows: R[];
  line: (row: R) => ReactNode;
}) {
  return (
    <Section title={title} empty={rows.length === 0}>
      <ul>
        {rows.map((row, i) => (
          <li key={i}>{line(row)}</li>
        ))}
      </ul>
    </Section>
  );
}

/** How the money moved (Cash, Card, Other), chosen from the desk's payment methods. */
export function MethodSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: DeskMethod;
  onChange: (method: DeskMethod) => void;
}) {
  const t = useT();
  return (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as DeskMethod)}>
        {DESK_METHODS.map((m) => (
          <option key={m} value={m}>
            {t(`method.${m}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One option per row, its id as the value and its name as the text. */
export function NamedOptions({ rows }: { rows: { id: number; name: string }[] }) {
  return (
    <>
      {rows.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** A labelled input; `label` also names it for screen readers (and tests), `shown` when the text differs. */
export function Field({
  label,
  shown,
  value,
  onChange,
  ...input
}: Control<string> & { shown?: ReactNode } & InputProps) {
  return (
    <label>
      {shown ?? label}
      <input {...input} value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} />
    </label>
  );
}

/** A PIN: digits, hidden, never offered for autofill. */
export function PinField(props: Parameters<typeof Field>[0]) {
  return <Field type="password" inputMode="numeric" autoComplete="off" {...props} />;
}

/** A labelled control of one value: `onChange` is told the value it now holds. */
interface Control<V> {
  label: string;
  value: V;
  onChange: (value: V) => void;
}

/** A labelled checkbox that switches a setting on or off. */
export function Toggle({ label, value, onChange }: Control<boolean>) {
  return (
    <label>
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/**
 * Runs an action unless its previous run is still waiting for the server: Enter pressed twice or a double
 * click records one cash movement, one refund, one shift (work that returns no promise is never held).
 */
export function useOneAtATime(): (work: () => Promise<unknown> | void) => void {
  const running = useRef(false);
  return useCallback((work) => {
    if (running.current) return;
    const result = work();
    if (!(result instanceof Promise)) return;
    running.current = true;
    void result.finally(() => {
      running.current = false;
    });
  }, []);
}

/**
 * A form that stays on the page: Enter runs `onSubmit` (a row of fields unless `className` says otherwise);
 * while the promise it returns is pending, further submits are ignored.
 */
export function Form({
  className = 'row',
  label,
  onSubmit,
  children,
}: {
  className?: string;
  label?: string;
  onSubmit: () => Promise<unknown> | void;
  children: ReactNode;
}) {
  const once = useOneAtATime();
  return (
    <form
      className={className}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        once(onSubmit);
      }}
    >
      {children}
    </form>
  );
}

/** A section holding one form. */
export function FormSection({ title, ...form }: { title: string } & Parameters<typeof Form>[0]) {
  return (
    <Section title={title}>
      <Form {...form} />
    </Section>
  );
}

/** A text input whose label is also its placeholder. */
export function HintedInput({ label, value, onChange }: Control<string>) {
  return (
    <input aria-label={label} placeholder={label} value={value} onChange={(e) => onChange(e.target.value)} />
  );
}

/** A table's column titles; null for a column without one. */
export function TableHead({ columns }: { columns: (MessageKey | null)[] }) {
  const t = useT();
  return (
    <thead>
      <tr>
        {columns.map((column, i) => (
          <th key={i}>{column ? t(column) : null}</th>
        ))}
      </tr>
    </thead>
  );
}

/** A key and what it does on the screen shown. */
export type KeyHint = [key: string, label: string];

/** One screen of the desk: what it shows, then the keys that work on it. */
export function Screen({ name, keys, children }: { name: string; keys: KeyHint[]; children: ReactNode }) {
  return (
    <div className={`screen ${name}`}>
      {children}
      <KeyBar keys={keys} />
    </div>
  );
}

/** Chooses the event the desk works on: the one Sales sells for and Check-in admits to. */
export function DeskEventSelect() {
  const t = useT();
  const { events, eventId, selectEvent } = usePick('events', 'eventId', 'selectEvent');
  return (
    <label>
      {t('sales.event')}{' '}
      <select value={eventId ?? ''} onChange={(e) => void selectEvent(Number(e.target.value))}>
        <NamedOptions rows={events} />
      </select>
    </label>
  );
}

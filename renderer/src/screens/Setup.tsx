import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useDesk, useT } from '../context';
import { formatMoney } from '../i18n';
import type { SetupEventView, SetupKind } from '../../../shared/contract';
import { KeyBar, Needs, Section } from './common';

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

function InlineForm({
  onSubmit,
  children,
  label,
}: {
  onSubmit: () => Promise<boolean>;
  children: ReactNode;
  label: string;
}) {
  return (
    <form
      className="inline-form"
      aria-label={label}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        void onSubmit().then((ok) => ok && form.reset());
      }}
    >
      {children}
    </form>
  );
}

const field = (form: HTMLFormElement | null, name: string): string =>
  ((form?.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
const checked = (form: HTMLFormElement | null, name: string): boolean =>
  (form?.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
const checkedValues = (form: HTMLFormElement | null, name: string): number[] =>
  Array.from(form?.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`) ?? []).map((i) =>
    Number(i.value),
  );

export function SetupScreen() {
  const t = useT();
  const events = useDesk((s) => s.events);
  const eventId = useDesk((s) => s.eventId);
  const request = useDesk((s) => s.request);
  const reloadEvents = useDesk((s) => s.reloadEvents);
  const locale = useDesk((s) => s.locale);
  const [selected, setSelected] = useState<number | null>(eventId);
  const [view, setView] = useState<SetupEventView | null>(null);

  const load = useCallback(async () => {
    if (selected !== null) setView(await request('setup.event', { eventId: selected }));
  }, [selected, request]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (selected === null && eventId !== null) setSelected(eventId);
  }, [eventId, selected]);

  /** Sends one pretix body; refusals show as the notice in pretix's words. */
  const save = async (
    kind: SetupKind,
    body: Record<string, unknown>,
    parentId: number | null = null,
  ): Promise<boolean> => {
    const created = await request(
      'setup.create',
      { kind, eventId: selected, parentId, body },
      t('setup.created'),
    );
    if (!created) return false;
    if (kind === 'event') setSelected(created.id);
    await reloadEvents();
    await load();
    return true;
  };
  const remove = async (kind: Exclude<SetupKind, 'event'>, id: number, parentId: number | null = null) => {
    if (selected === null) return;
    if (await request('setup.delete', { kind, eventId: selected, parentId, id })) {
      await reloadEvents();
      await load();
    }
  };
  const updateQuotaSize = async (id: number, size: string) => {
    if (selected === null) return;
    const ok = await request(
      'setup.update',
      {
        kind: 'quota',
        eventId: selected,
        parentId: null,
        id,
        body: { size: size === '' ? null : Number(size) },
      },
      t('setup.created'),
    );
    if (ok) {
      await load();
      await reloadEvents();
    }
  };
  const i18n = (text: string) => ({ [locale]: text, ...(locale === 'en' ? {} : { en: text }) });
  const form = (label: string) => document.querySelector<HTMLFormElement>(`form[aria-label="${label}"]`);

  return (
    <div className="screen setup">
      <Needs method="setup.create">
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
        <Section title={t('setup.newEvent')}>
          <InlineForm
            label="new-event"
            onSubmit={async () => {
              const f = form('new-event');
              const start = field(f, 'date_from');
              return save('event', {
                name: i18n(field(f, 'name')),
                slug: field(f, 'slug'),
                currency: field(f, 'currency') || 'EUR',
                date_from: start ? new Date(start).toISOString() : null,
                has_subevents: checked(f, 'has_subevents'),
              });
            }}
          >
            <input name="name" placeholder={t('setup.name')} aria-label={t('setup.name')} required />
            <input
              name="slug"
              placeholder={t('setup.slug')}
              aria-label={t('setup.slug')}
              required
              pattern="[a-zA-Z0-9][a-zA-Z0-9.\-]*"
            />
            <input name="currency" placeholder="EUR" aria-label={t('setup.currency')} size={4} />
            <input name="date_from" type="datetime-local" aria-label={t('setup.start')} />
            <label>
              <input type="checkbox" name="has_subevents" /> {t('setup.series')}
            </label>
            <button type="submit">{t('setup.add')}</button>
          </InlineForm>
        </Section>
        {view ? (
          <div className="columns">
            <Section title={t('setup.items')}>
              <table>
                <tbody>
                  {view.items.map((i) => (
                    <tr key={i.id} className={i.active ? undefined : 'canceled'}>
                      <td>{i.name}</td>
                      <td>{formatMoney(locale, i.price, view.currency)}</td>
                      <td>
                        {i.variations.map((v) => `${v.value}${v.price ? ` (${v.price})` : ''}`).join(', ')}
                      </td>
                      <td>
                        <button
                          className="link"
                          aria-label={`${t('setup.delete')} ${i.name}`}
                          onClick={() => void remove('item', i.id)}
                        >
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <InlineForm
                label="new-item"
                onSubmit={() => {
                  const f = form('new-item');
                  const tax = field(f, 'tax_rule');
                  return save('item', {
                    name: i18n(field(f, 'name')),
                    default_price: field(f, 'price').replace(',', '.') || '0.00',
                    admission: checked(f, 'admission'),
                    require_approval: checked(f, 'require_approval'),
                    tax_rule: tax ? Number(tax) : null,
                    active: true,
                  });
                }}
              >
                <input
                  name="name"
                  placeholder={t('setup.name')}
                  aria-label={`${t('setup.item')} ${t('setup.name')}`}
                  required
                />
                <input
                  name="price"
                  placeholder={t('setup.price')}
                  aria-label={t('setup.price')}
                  inputMode="decimal"
                  size={7}
                />
                <select name="tax_rule" aria-label={t('setup.taxRules')}>
                  <option value="">—</option>
                  {view.taxRules.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name} {r.rate} %
                    </option>
                  ))}
                </select>
                <label>
                  <input type="checkbox" name="admission" defaultChecked /> {t('setup.admission')}
                </label>
                <label>
                  <input type="checkbox" name="require_approval" /> {t('setup.requireApproval')}
                </label>
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
              {view.items.length > 0 ? (
                <InlineForm
                  label="new-variation"
                  onSubmit={() => {
                    const f = form('new-variation');
                    const price = field(f, 'price').replace(',', '.');
                    return save(
                      'variation',
                      { value: i18n(field(f, 'value')), default_price: price || null, active: true },
                      Number(field(f, 'item')),
                    );
                  }}
                >
                  <select name="item" aria-label={t('setup.item')}>
                    {view.items.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.name}
                      </option>
                    ))}
                  </select>
                  <input name="value" placeholder={t('setup.value')} aria-label={t('setup.value')} required />
                  <input
                    name="price"
                    placeholder={t('setup.price')}
                    aria-label={`${t('setup.value')} ${t('setup.price')}`}
                    size={7}
                  />
                  <button type="submit">{t('setup.add')}</button>
                </InlineForm>
              ) : null}
            </Section>
            <Section title={t('setup.quotas')}>
              {view.quotas.map((q) => (
                <div key={q.id} className="quota-row" data-testid="quota">
                  <div className="row">
                    <strong>{q.name}</strong>
                    <input
                      aria-label={`${t('setup.size')} ${q.name}`}
                      defaultValue={q.size ?? ''}
                      size={5}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') void updateQuotaSize(q.id, e.currentTarget.value.trim());
                      }}
                    />
                    <button
                      className="link"
                      aria-label={`${t('setup.delete')} ${q.name}`}
                      onClick={() => void remove('quota', q.id)}
                    >
                      ×
                    </button>
                  </div>
                  <QuotaBar size={q.size} paid={q.paid} pending={q.pending} reserved={q.reserved} />
                </div>
              ))}
              <InlineForm
                label="new-quota"
                onSubmit={() => {
                  const f = form('new-quota');
                  const size = field(f, 'size');
                  const items = checkedValues(f, 'items');
                  const variations = view.items
                    .filter((i) => items.includes(i.id))
                    .flatMap((i) => i.variations.map((v) => v.id));
                  const sub = field(f, 'subevent');
                  return save('quota', {
                    name: field(f, 'name'),
                    size: size === '' ? null : Number(size),
                    items,
                    variations,
                    subevent: sub ? Number(sub) : null,
                  });
                }}
              >
                <input
                  name="name"
                  placeholder={t('setup.name')}
                  aria-label={`${t('setup.quotas')} ${t('setup.name')}`}
                  required
                />
                <input
                  name="size"
                  placeholder={t('setup.size')}
                  aria-label={t('setup.size')}
                  inputMode="numeric"
                  size={8}
                />
                {view.hasSubevents ? (
                  <select name="subevent" aria-label={t('setup.dates')}>
                    {view.subevents.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} {s.dateFrom.slice(0, 10)}
                      </option>
                    ))}
                  </select>
                ) : null}
                {view.items.map((i) => (
                  <label key={i.id}>
                    <input type="checkbox" name="items" value={i.id} /> {i.name}
                  </label>
                ))}
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
            </Section>
            {view.hasSubevents ? (
              <Section title={t('setup.dates')}>
                <ul>
                  {view.subevents.map((s) => (
                    <li key={s.id}>
                      {s.name} {s.dateFrom.slice(0, 16).replace('T', ' ')}{' '}
                      <button className="link" onClick={() => void remove('subevent', s.id)}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
                <InlineForm
                  label="new-date"
                  onSubmit={() => {
                    const f = form('new-date');
                    return save('subevent', {
                      name: i18n(field(f, 'name') || view.name),
                      date_from: new Date(field(f, 'date_from')).toISOString(),
                      active: true,
                    });
                  }}
                >
                  <input
                    name="name"
                    placeholder={t('setup.name')}
                    aria-label={`${t('setup.dates')} ${t('setup.name')}`}
                  />
                  <input name="date_from" type="datetime-local" aria-label={t('setup.start')} required />
                  <button type="submit">{t('setup.add')}</button>
                </InlineForm>
              </Section>
            ) : null}
            <Section title={t('setup.questions')}>
              <ul>
                {view.questions.map((q) => (
                  <li key={q.id}>
                    {q.question} ({q.type}){q.required ? ' *' : ''}{' '}
                    <button className="link" onClick={() => void remove('question', q.id)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <InlineForm
                label="new-question"
                onSubmit={() => {
                  const f = form('new-question');
                  const type = field(f, 'type');
                  const options = field(f, 'options')
                    .split(',')
                    .map((o) => o.trim())
                    .filter(Boolean)
                    .map((o) => ({ answer: i18n(o) }));
                  return save('question', {
                    question: i18n(field(f, 'question')),
                    type,
                    required: checked(f, 'required'),
                    items: checkedValues(f, 'items'),
                    ...(type === 'C' || type === 'M' ? { options } : {}),
                  });
                }}
              >
                <input
                  name="question"
                  placeholder={t('setup.questions')}
                  aria-label={t('setup.questions')}
                  required
                />
                <select name="type" aria-label={t('setup.type')}>
                  <option value="S">Text</option>
                  <option value="T">Multi-line</option>
                  <option value="N">Number</option>
                  <option value="B">Yes/no</option>
                  <option value="C">Choice</option>
                  <option value="M">Multiple choice</option>
                  <option value="E">Email</option>
                  <option value="D">Date</option>
                  <option value="P">Phone</option>
                </select>
                <input name="options" placeholder={t('setup.options')} aria-label={t('setup.options')} />
                <label>
                  <input type="checkbox" name="required" /> {t('setup.required')}
                </label>
                {view.items.map((i) => (
                  <label key={i.id}>
                    <input type="checkbox" name="items" value={i.id} /> {i.name}
                  </label>
                ))}
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
            </Section>
            <Section title={t('setup.taxRules')}>
              <ul>
                {view.taxRules.map((r) => (
                  <li key={r.id}>
                    {r.name} {r.rate} %{' '}
                    <button className="link" onClick={() => void remove('tax_rule', r.id)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <InlineForm
                label="new-tax-rule"
                onSubmit={() => {
                  const f = form('new-tax-rule');
                  return save('tax_rule', {
                    name: i18n(field(f, 'name')),
                    rate: field(f, 'rate').replace(',', '.'),
                  });
                }}
              >
                <input
                  name="name"
                  placeholder={t('setup.name')}
                  aria-label={`${t('setup.taxRules')} ${t('setup.name')}`}
                  required
                />
                <input
                  name="rate"
                  placeholder={t('setup.rate')}
                  aria-label={t('setup.rate')}
                  size={6}
                  required
                />
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
            </Section>
            <Section title={t('setup.checkinLists')}>
              <ul>
                {view.checkinLists.map((l) => (
                  <li key={l.id}>
                    {l.name}{' '}
                    <button className="link" onClick={() => void remove('checkin_list', l.id)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <InlineForm
                label="new-checkin-list"
                onSubmit={() => {
                  const f = form('new-checkin-list');
                  return save('checkin_list', { name: field(f, 'name'), all_products: true });
                }}
              >
                <input
                  name="name"
                  placeholder={t('setup.name')}
                  aria-label={`${t('setup.checkinLists')} ${t('setup.name')}`}
                  required
                />
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
            </Section>
          </div>
        ) : null}
      </Needs>
      <KeyBar
        keys={[
          ['Tab', t('setup.name')],
          ['Enter', t('setup.add')],
        ]}
      />
    </div>
  );
}

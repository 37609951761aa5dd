import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useDesk, useT } from '../context';
import { formatPercent, type MessageKey } from '../i18n';
import { formatMoney } from '../money';
import type { SetupEventView, SetupKind } from '../../../shared/contract';
import { KeyBar, Needs, Section } from './common';
import { useConfirm } from './Confirm';

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
  onCancel,
  children,
  label,
}: {
  onSubmit: () => Promise<boolean>;
  onCancel?: () => void;
  children: ReactNode;
  label: string;
}) {
  return (
    <form
      className="inline-form"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onCancel) {
          e.stopPropagation();
          onCancel();
        }
      }}
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

/** A delete button named for what it deletes; the confirmation comes from `onDelete`. */
function DeleteButton({ name, onDelete }: { name: string; onDelete: () => void }) {
  const t = useT();
  return (
    <button type="button" className="link" aria-label={`${t('setup.delete')} ${name}`} onClick={onDelete}>
      ×
    </button>
  );
}

/** A labelled checkbox of an inline form. */
function Check({ name, label, defaultChecked }: { name: string; label: string; defaultChecked?: boolean }) {
  return (
    <label>
      <input type="checkbox" name={name} defaultChecked={defaultChecked} /> {label}
    </label>
  );
}

/** One checkbox per item, named `items`; `checked` lists the items ticked at first. */
function ItemChecks({ items, checked = [] }: { items: SetupEventView['items']; checked?: number[] }) {
  return (
    <>
      {items.map((i) => (
        <label key={i.id}>
          <input type="checkbox" name="items" value={i.id} defaultChecked={checked.includes(i.id)} /> {i.name}
        </label>
      ))}
    </>
  );
}

function QuestionTypeSelect({ defaultValue }: { defaultValue?: string }) {
  const t = useT();
  return (
    <select name="type" aria-label={t('setup.type')} defaultValue={defaultValue}>
      {QUESTION_TYPES.map((type) => (
        <option key={type} value={type}>
          {t(`questionType.${type}` as MessageKey)}
        </option>
      ))}
    </select>
  );
}

/** The event's tax rules, or none (—). */
function TaxRuleSelect({
  rules,
  defaultValue,
}: {
  rules: SetupEventView['taxRules'];
  defaultValue?: number | '';
}) {
  const t = useT();
  const locale = useDesk((s) => s.locale);
  return (
    <select name="tax_rule" aria-label={t('setup.taxRules')} defaultValue={defaultValue}>
      <option value="">—</option>
      {rules.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name} {formatPercent(locale, r.rate)}
        </option>
      ))}
    </select>
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

/** pretix's question types, as the catalog allows them. */
export const QUESTION_TYPES = [
  'S',
  'T',
  'N',
  'B',
  'C',
  'M',
  'D',
  'H',
  'W',
  'CC',
  'TEL',
  'EMAIL',
  'F',
] as const;

/** An ISO instant as the local text a `datetime-local` input shows. */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

export function SetupScreen() {
  const t = useT();
  const events = useDesk((s) => s.events);
  const eventId = useDesk((s) => s.eventId);
  const request = useDesk((s) => s.request);
  const reloadEvents = useDesk((s) => s.reloadEvents);
  const locale = useDesk((s) => s.locale);
  const [selected, setSelected] = useState<number | null>(eventId);
  const [view, setView] = useState<SetupEventView | null>(null);
  /** The object being edited, as `kind-id`; one at a time. */
  const [editing, setEditing] = useState<string | null>(null);
  const [dialog, confirm] = useConfirm();
  const current = useRef(selected);
  current.current = selected;

  /** Loads the chosen event; an answer for an event no longer chosen is dropped, never shown. */
  const load = useCallback(async () => {
    const id = current.current;
    if (id === null) return;
    const next = await request('setup.event', { eventId: id });
    if (next && current.current === id) setView(next);
  }, [request]);
  useEffect(() => {
    setEditing(null);
    void load();
  }, [selected, load, locale]);
  useEffect(() => {
    if (selected === null && eventId !== null) setSelected(eventId);
  }, [eventId, selected]);

  const refresh = async () => {
    await reloadEvents();
    await load();
  };

  /** Sends one pretix body; refusals show as the notice in the desk's words. */
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
    if (kind === 'event') {
      current.current = created.id;
      setSelected(created.id);
    }
    await refresh();
    return true;
  };
  const change = async (
    kind: SetupKind,
    id: number,
    body: Record<string, unknown>,
    parentId: number | null = null,
  ): Promise<boolean> => {
    if (selected === null) return false;
    const ok = await request(
      'setup.update',
      { kind, eventId: selected, parentId, id, body },
      t('setup.created'),
    );
    if (!ok) return false;
    setEditing(null);
    await refresh();
    return true;
  };
  /** Deletes after a confirmation that says what follows. */
  const remove = async (
    kind: Exclude<SetupKind, 'event'>,
    id: number,
    name: string,
    lines: string[] = [],
    parentId: number | null = null,
  ) => {
    if (selected === null) return;
    const choice = await confirm({
      title: t('confirm.deleteTitle', { name: `“${name}”` }),
      lines: [...lines, t('confirm.deleteFinal')],
      choices: [
        { id: 'delete', label: t('confirm.delete'), danger: true },
        { id: 'keep', label: t('confirm.keep') },
      ],
    });
    if (choice !== 'delete') return;
    if (await request('setup.delete', { kind, eventId: selected, parentId, id }, t('setup.deleted')))
      await refresh();
  };
  const i18n = (text: string) => ({ [locale]: text, ...(locale === 'en' ? {} : { en: text }) });
  const form = (label: string) => document.querySelector<HTMLFormElement>(`form[aria-label="${label}"]`);
  const typeName = (type: string) => t(`questionType.${type}` as MessageKey);
  const shown = view && view.id === selected ? view : null;

  /** The variations a quota must list for its items (all of each item's). */
  const variationsOf = (v: SetupEventView, items: number[]) =>
    v.items.filter((i) => items.includes(i.id)).flatMap((i) => i.variations.map((x) => x.id));

  const quotaLines = (v: SetupEventView, q: SetupEventView['quotas'][number]): string[] => {
    const lines: string[] = [];
    const sold = q.paid + q.pending;
    if (sold > 0) lines.push(t('confirm.deleteSold', { n: sold }));
    const orphans = v.items.filter(
      (i) =>
        q.items.includes(i.id) &&
        !v.quotas.some((o) => o.id !== q.id && o.subeventId === q.subeventId && o.items.includes(i.id)),
    );
    if (orphans.length)
      lines.push(t('confirm.deleteUnsellable', { items: orphans.map((i) => i.name).join(', ') }));
    return lines;
  };

  const editButtons = () => (
    <>
      <button type="submit">{t('common.save')}</button>
      <button type="button" onClick={() => setEditing(null)}>
        {t('setup.cancel')}
      </button>
    </>
  );
  const editToggle = (key: string, name: string) => (
    <button className="link" aria-label={`${t('setup.edit')} ${name}`} onClick={() => setEditing(key)}>
      {t('setup.edit')}
    </button>
  );

  return (
    <div className="screen setup">
      {dialog}
      <Needs method="setup.create">
        <div className="row event-tabs">
          {events.map((e) => (
            <button
              key={e.id}
              className={e.id === selected ? 'active' : undefined}
              aria-pressed={e.id === selected}
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
            <Check name="has_subevents" label={t('setup.series')} />
            <button type="submit">{t('setup.add')}</button>
          </InlineForm>
        </Section>
        {selected !== null && !shown ? <p>{t('common.loading')}</p> : null}
        {shown ? (
          <div className="columns" data-testid="setup-event" data-event-id={shown.id}>
            <Section title={`${t('setup.event')}: ${shown.name}`}>
              <InlineForm
                key={`event-${shown.id}-${shown.name}-${shown.dateFrom ?? ''}-${shown.currency}`}
                label="edit-event"
                onSubmit={() => {
                  const f = form('edit-event');
                  const start = field(f, 'date_from');
                  return change('event', shown.id, {
                    name: i18n(field(f, 'name')),
                    currency: field(f, 'currency') || shown.currency,
                    ...(start ? { date_from: new Date(start).toISOString() } : {}),
                  });
                }}
              >
                <input
                  name="name"
                  aria-label={`${t('setup.event')} ${t('setup.name')}`}
                  defaultValue={shown.name}
                  required
                />
                <input
                  name="currency"
                  aria-label={`${t('setup.event')} ${t('setup.currency')}`}
                  defaultValue={shown.currency}
                  size={4}
                />
                <input
                  name="date_from"
                  type="datetime-local"
                  aria-label={`${t('setup.event')} ${t('setup.start')}`}
                  defaultValue={localInput(shown.dateFrom)}
                />
                <button type="submit">{t('common.save')}</button>
              </InlineForm>
            </Section>
            <Section title={t('setup.items')}>
              <table>
                <tbody>
                  {shown.items.map((i) =>
                    editing === `item-${i.id}` ? (
                      <tr key={i.id}>
                        <td colSpan={5}>
                          <InlineForm
                            label={`edit-item-${i.id}`}
                            onCancel={() => setEditing(null)}
                            onSubmit={() => {
                              const f = form(`edit-item-${i.id}`);
                              const tax = field(f, 'tax_rule');
                              return change('item', i.id, {
                                name: i18n(field(f, 'name')),
                                default_price: field(f, 'price').replace(',', '.') || '0.00',
                                tax_rule: tax ? Number(tax) : null,
                                admission: checked(f, 'admission'),
                                require_approval: checked(f, 'require_approval'),
                                active: checked(f, 'active'),
                              });
                            }}
                          >
                            <input
                              name="name"
                              aria-label={`${t('setup.item')} ${t('setup.name')}`}
                              defaultValue={i.name}
                              required
                              autoFocus
                            />
                            <input
                              name="price"
                              aria-label={t('setup.price')}
                              defaultValue={i.price}
                              inputMode="decimal"
                              size={7}
                            />
                            <TaxRuleSelect rules={shown.taxRules} defaultValue={i.taxRuleId ?? ''} />
                            <Check
                              name="admission"
                              label={t('setup.admission')}
                              defaultChecked={i.admission}
                            />
                            <Check
                              name="require_approval"
                              label={t('setup.requireApproval')}
                              defaultChecked={i.requireApproval}
                            />
                            <Check name="active" label={t('setup.active')} defaultChecked={i.active} />
                            {editButtons()}
                          </InlineForm>
                        </td>
                      </tr>
                    ) : (
                      <tr key={i.id} className={i.active ? undefined : 'inactive'} data-testid="setup-item">
                        <td className="name">{i.name}</td>
                        <td>{formatMoney(locale, i.price, shown.currency)}</td>
                        <td>
                          {i.variations
                            .map(
                              (v) =>
                                `${v.value}${v.price ? ` (${formatMoney(locale, v.price, shown.currency)})` : ''}`,
                            )
                            .join(', ')}
                        </td>
                        <td>
                          <label className="inline">
                            <input
                              type="checkbox"
                              key={`active-${i.id}-${i.active}`}
                              aria-label={`${t('setup.active')} ${i.name}`}
                              defaultChecked={i.active}
                              onChange={(e) => void change('item', i.id, { active: e.target.checked })}
                            />
                            {t('setup.active')}
                          </label>
                        </td>
                        <td>
                          {editToggle(`item-${i.id}`, i.name)}
                          <DeleteButton name={i.name} onDelete={() => void remove('item', i.id, i.name)} />
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
              <InlineForm
                label="new-item"
                onSubmit={() => {
                  const f = form('new-item');
                  const tax = field(f, 'tax_rule');
                  const variations = list(field(f, 'variations'));
                  return save('item', {
                    name: i18n(field(f, 'name')),
                    default_price: field(f, 'price').replace(',', '.') || '0.00',
                    admission: checked(f, 'admission'),
                    require_approval: checked(f, 'require_approval'),
                    tax_rule: tax ? Number(tax) : null,
                    active: true,
                    ...(variations.length
                      ? {
                          has_variations: true,
                          variations: variations.map((v) => ({ value: i18n(v), active: true })),
                        }
                      : {}),
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
                <TaxRuleSelect rules={shown.taxRules} />
                <input
                  name="variations"
                  placeholder={t('setup.variationsNew')}
                  aria-label={t('setup.variationsNew')}
                />
                <Check name="admission" label={t('setup.admission')} defaultChecked />
                <Check name="require_approval" label={t('setup.requireApproval')} />
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
              {shown.items.some((i) => i.variations.length > 0) ? (
                <InlineForm
                  label="new-variation"
                  onSubmit={() => {
                    const f = form('new-variation');
                    const price = field(f, 'price').replace(',', '.');
                    const itemId = Number(field(f, 'item'));
                    // After the item's other variations, not before them.
                    const position = shown.items.find((i) => i.id === itemId)?.variations.length ?? 0;
                    return save(
                      'variation',
                      {
                        value: i18n(field(f, 'value')),
                        default_price: price || null,
                        active: true,
                        position,
                      },
                      itemId,
                    );
                  }}
                >
                  <select name="item" aria-label={t('setup.item')}>
                    {shown.items
                      .filter((i) => i.variations.length > 0)
                      .map((i) => (
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
              {shown.quotas.map((q) => (
                <div key={q.id} className="quota-row" data-testid="quota">
                  <div className="row">
                    <strong>{q.name}</strong>
                    <input
                      key={`${q.id}-${q.size ?? ''}`}
                      aria-label={`${t('setup.size')} ${q.name}`}
                      defaultValue={q.size ?? ''}
                      inputMode="numeric"
                      size={5}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') e.currentTarget.blur();
                      }}
                      onBlur={(e) => {
                        const text = e.currentTarget.value.trim();
                        if (text !== String(q.size ?? ''))
                          void change('quota', q.id, { size: text === '' ? null : Number(text) });
                      }}
                    />
                    <DeleteButton
                      name={q.name}
                      onDelete={() => void remove('quota', q.id, q.name, quotaLines(shown, q))}
                    />
                  </div>
                  <div className="row quota-items">
                    {shown.items.map((i) => (
                      <label key={i.id} className="inline">
                        <input
                          type="checkbox"
                          key={`${q.id}-${i.id}-${q.items.includes(i.id)}`}
                          aria-label={`${i.name} ${t('setup.inQuota')} ${q.name}`}
                          defaultChecked={q.items.includes(i.id)}
                          onChange={(e) => {
                            const items = e.target.checked
                              ? [...q.items, i.id]
                              : q.items.filter((x) => x !== i.id);
                            void change('quota', q.id, { items, variations: variationsOf(shown, items) });
                          }}
                        />
                        {i.name}
                      </label>
                    ))}
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
                  const sub = field(f, 'subevent');
                  return save('quota', {
                    name: field(f, 'name'),
                    size: size === '' ? null : Number(size),
                    items,
                    variations: variationsOf(shown, items),
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
                {shown.hasSubevents ? (
                  <select name="subevent" aria-label={t('setup.dates')}>
                    {shown.subevents.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} {s.dateFrom.slice(0, 10)}
                      </option>
                    ))}
                  </select>
                ) : null}
                <ItemChecks items={shown.items} />
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
            </Section>
            {shown.hasSubevents ? (
              <Section title={t('setup.dates')}>
                <ul>
                  {shown.subevents.map((s) => (
                    <li key={s.id}>
                      {s.name} {s.dateFrom.slice(0, 16).replace('T', ' ')}{' '}
                      <DeleteButton name={s.name} onDelete={() => void remove('subevent', s.id, s.name)} />
                    </li>
                  ))}
                </ul>
                <InlineForm
                  label="new-date"
                  onSubmit={() => {
                    const f = form('new-date');
                    return save('subevent', {
                      name: i18n(field(f, 'name') || shown.name),
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
                {shown.questions.map((q) =>
                  editing === `question-${q.id}` ? (
                    <li key={q.id}>
                      <InlineForm
                        label={`edit-question-${q.id}`}
                        onCancel={() => setEditing(null)}
                        onSubmit={async () => {
                          const f = form(`edit-question-${q.id}`);
                          const added = list(field(f, 'options'));
                          const ok = await change('question', q.id, {
                            question: i18n(field(f, 'question')),
                            type: field(f, 'type'),
                            required: checked(f, 'required'),
                            items: checkedValues(f, 'items'),
                          });
                          if (!ok) return false;
                          for (const answer of added)
                            if (!(await save('question_option', { answer: i18n(answer) }, q.id)))
                              return false;
                          return true;
                        }}
                      >
                        <input
                          name="question"
                          aria-label={t('setup.questions')}
                          defaultValue={q.question}
                          required
                          autoFocus
                        />
                        <QuestionTypeSelect defaultValue={q.type} />
                        <Check name="required" label={t('setup.required')} defaultChecked={q.required} />
                        <ItemChecks items={shown.items} checked={q.items} />
                        {q.options.map((o) => (
                          <span key={o.id} className="chip">
                            {o.answer}{' '}
                            <DeleteButton
                              name={o.answer}
                              onDelete={() => void remove('question_option', o.id, o.answer, [], q.id)}
                            />
                          </span>
                        ))}
                        <input
                          name="options"
                          placeholder={t('setup.optionsNew')}
                          aria-label={t('setup.optionsNew')}
                        />
                        {editButtons()}
                      </InlineForm>
                    </li>
                  ) : (
                    <li key={q.id} data-testid="setup-question">
                      {q.question} ({typeName(q.type)}){q.required ? ' *' : ''}
                      {q.options.length ? ` — ${q.options.map((o) => o.answer).join(', ')}` : ''}{' '}
                      {editToggle(`question-${q.id}`, q.question)}
                      <DeleteButton
                        name={q.question}
                        onDelete={() => void remove('question', q.id, q.question)}
                      />
                    </li>
                  ),
                )}
              </ul>
              <InlineForm
                label="new-question"
                onSubmit={() => {
                  const f = form('new-question');
                  const type = field(f, 'type');
                  const options = list(field(f, 'options')).map((o) => ({ answer: i18n(o) }));
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
                <QuestionTypeSelect />
                <input name="options" placeholder={t('setup.options')} aria-label={t('setup.options')} />
                <Check name="required" label={t('setup.required')} />
                <ItemChecks items={shown.items} />
                <button type="submit">{t('setup.add')}</button>
              </InlineForm>
            </Section>
            <Section title={t('setup.taxRules')}>
              <ul>
                {shown.taxRules.map((r) =>
                  editing === `tax-${r.id}` ? (
                    <li key={r.id}>
                      <InlineForm
                        label={`edit-tax-rule-${r.id}`}
                        onCancel={() => setEditing(null)}
                        onSubmit={() => {
                          const f = form(`edit-tax-rule-${r.id}`);
                          return change('tax_rule', r.id, {
                            name: i18n(field(f, 'name')),
                            rate: field(f, 'rate').replace(',', '.'),
                          });
                        }}
                      >
                        <input
                          name="name"
                          aria-label={`${t('setup.taxRules')} ${t('setup.name')}`}
                          defaultValue={r.name}
                          required
                          autoFocus
                        />
                        <input
                          name="rate"
                          aria-label={t('setup.rate')}
                          defaultValue={r.rate}
                          size={6}
                          required
                        />
                        {editButtons()}
                      </InlineForm>
                    </li>
                  ) : (
                    <li key={r.id}>
                      {r.name} {formatPercent(locale, r.rate)} {editToggle(`tax-${r.id}`, r.name)}
                      <DeleteButton name={r.name} onDelete={() => void remove('tax_rule', r.id, r.name)} />
                    </li>
                  ),
                )}
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
                {shown.checkinLists.map((l) =>
                  editing === `list-${l.id}` ? (
                    <li key={l.id}>
                      <InlineForm
                        label={`edit-checkin-list-${l.id}`}
                        onCancel={() => setEditing(null)}
                        onSubmit={() =>
                          change('checkin_list', l.id, {
                            name: field(form(`edit-checkin-list-${l.id}`), 'name'),
                          })
                        }
                      >
                        <input
                          name="name"
                          aria-label={`${t('setup.checkinLists')} ${t('setup.name')}`}
                          defaultValue={l.name}
                          required
                          autoFocus
                        />
                        {editButtons()}
                      </InlineForm>
                    </li>
                  ) : (
                    <li key={l.id}>
                      {l.name} {editToggle(`list-${l.id}`, l.name)}
                      <DeleteButton
                        name={l.name}
                        onDelete={() => void remove('checkin_list', l.id, l.name)}
                      />
                    </li>
                  ),
                )}
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
          ['Esc', t('setup.cancel')],
        ]}
      />
    </div>
  );
}

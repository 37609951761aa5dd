import { useCallback, useEffect, useRef, useState } from 'react';
import { useDesk, useT } from '../context';
import { formatPercent, QUESTION_TYPES, type MessageKey } from '../i18n';
import { formatMoney } from '../money';
import type {
  ItemSetup,
  QuestionSetup,
  SetupCreateInput,
  SetupEventView,
  SetupFields,
  SetupKind,
  SetupUpdateInput,
  TaxRuleSetup,
} from '../../../shared/contract';
import { NamedOptions, Needs, Section, Screen, type KeyHint } from './common';
import {
  Check,
  checked,
  checkedValues,
  decimalField,
  DeleteButton,
  EditableList,
  field,
  InlineForm,
  TextField,
} from './InlineForm';
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

/** The name of an object, labelled with its kind (`of`) where the screen has several name fields. */
function NameField({
  of,
  value,
  required = true,
  autoFocus,
}: {
  of?: string;
  value?: string;
  required?: boolean;
  autoFocus?: boolean;
}) {
  const t = useT();
  const name = t('setup.name');
  return (
    <TextField
      name="name"
      label={of ? `${of} ${name}` : name}
      hint={name}
      value={value}
      required={required}
      autoFocus={autoFocus}
    />
  );
}

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

type Item = SetupEventView['items'][number];
/** A question, named by its text. */
type Question = SetupEventView['questions'][number] & { name: string };
type ListKind = 'item' | 'question' | 'tax_rule' | 'checkin_list';
type TaxRule = SetupEventView['taxRules'][number];
type CheckinList = SetupEventView['checkinLists'][number];

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

  /** Creates one object of `kind` from its fields; refusals show as the notice in the desk's words. */
  const save = async <K extends SetupKind>(
    kind: K,
    fields: SetupFields[K],
    parentId: number | null = null,
  ): Promise<boolean> => {
    // `fields` are `kind`'s, which TypeScript cannot follow through the generic `K`.
    const input = { kind, eventId: selected, parentId, fields } as SetupCreateInput;
    const created = await request('setup.create', input, t('setup.created'));
    if (!created) return false;
    if (kind === 'event') {
      current.current = created.id;
      setSelected(created.id);
    }
    await refresh();
    return true;
  };
  /** Changes the fields given of an object of `kind`. */
  const change = async <K extends SetupKind>(
    kind: K,
    id: number,
    fields: Partial<SetupFields[K]>,
    parentId: number | null = null,
  ): Promise<boolean> => {
    if (selected === null) return false;
    const input = { kind, eventId: selected, parentId, id, fields } as SetupUpdateInput;
    const ok = await request('setup.update', input, t('setup.created'));
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
  const typeName = (type: string) => t(`questionType.${type}` as MessageKey);
  const shown = view && view.id === selected ? view : null;
  const edits = { key: editing, set: setEditing };

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

  /** A product's fields from its form: a new one is on sale with its variations, an edited one as ticked. */
  const itemFields = (f: HTMLFormElement, editing: boolean): ItemSetup => {
    const tax = field(f, 'tax_rule');
    const fields: ItemSetup = {
      name: i18n(field(f, 'name')),
      price: decimalField(f, 'price') || '0.00',
      taxRuleId: tax ? Number(tax) : null,
      admission: checked(f, 'admission'),
      requireApproval: checked(f, 'require_approval'),
      active: editing ? checked(f, 'active') : true,
    };
    const variations = editing ? [] : list(field(f, 'variations'));
    return variations.length ? { ...fields, variations: variations.map(i18n) } : fields;
  };
  const questionFields = (f: HTMLFormElement): QuestionSetup => ({
    question: i18n(field(f, 'question')),
    // The select offers the question types only; the desk method refuses anything else.
    type: field(f, 'type') as QuestionSetup['type'],
    required: checked(f, 'required'),
    items: checkedValues(f, 'items'),
  });
  const taxRuleFields = (f: HTMLFormElement): TaxRuleSetup => ({
    name: i18n(field(f, 'name')),
    rate: decimalField(f, 'rate'),
  });

  /**
   * What a list's forms do: a new object's form creates one of `kind` from `fieldsOf` it, an edited
   * one's changes it (`fieldsOf` is given the row), Delete asks first.
   */
  const commandsOf = <K extends ListKind, R extends { id: number; name: string }>(
    kind: K,
    fieldsOf: (form: HTMLFormElement, row?: R) => SetupFields[K],
  ) => ({
    kind: kind.replace('_', '-'),
    editing: edits,
    onCreate: (form: HTMLFormElement) => save(kind, fieldsOf(form)),
    onUpdate: (row: R, form: HTMLFormElement) => change(kind, row.id, fieldsOf(form, row)),
    onDelete: (row: R) => void remove(kind, row.id, row.name),
  });

  const keys: KeyHint[] = [
    ['Tab', t('setup.name')],
    ['Enter', t('setup.add')],
    ['Esc', t('setup.cancel')],
  ];
  return (
    <Screen name="setup" keys={keys}>
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
            onSubmit={async (f) => {
              const start = field(f, 'date_from');
              return save('event', {
                name: i18n(field(f, 'name')),
                slug: field(f, 'slug'),
                currency: field(f, 'currency') || 'EUR',
                dateFrom: start ? new Date(start).toISOString() : '',
                hasSubevents: checked(f, 'has_subevents'),
              });
            }}
          >
            <EventFields />
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
                onSubmit={(f) => {
                  const start = field(f, 'date_from');
                  return change('event', shown.id, {
                    name: i18n(field(f, 'name')),
                    currency: field(f, 'currency') || shown.currency,
                    ...(start ? { dateFrom: new Date(start).toISOString() } : {}),
                  });
                }}
              >
                <EventFields event={shown} />
                <button type="submit">{t('common.save')}</button>
              </InlineForm>
            </Section>
            <Section title={t('setup.items')}>
              <EditableList<Item>
                {...commandsOf('item', (f, i?: Item) => itemFields(f, i !== undefined))}
                rows={shown.items}
                columns={5}
                rowAttributes={(i) => ({
                  className: i.active ? undefined : 'inactive',
                  'data-testid': 'setup-item',
                })}
                show={(i) => (
                  <>
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
                  </>
                )}
                fields={(i) => <ItemFields item={i} taxRules={shown.taxRules} />}
              >
                {shown.items.some((i) => i.variations.length > 0) ? (
                  <InlineForm
                    label="new-variation"
                    onSubmit={(f) => {
                      const itemId = Number(field(f, 'item'));
                      // After the item's other variations, not before them.
                      const position = shown.items.find((i) => i.id === itemId)?.variations.length ?? 0;
                      return save(
                        'variation',
                        {
                          value: i18n(field(f, 'value')),
                          price: decimalField(f, 'price') || null,
                          active: true,
                          position,
                        },
                        itemId,
                      );
                    }}
                  >
                    <select name="item" aria-label={t('setup.item')}>
                      <NamedOptions rows={shown.items.filter((i) => i.variations.length > 0)} />
                    </select>
                    <TextField name="value" label={t('setup.value')} required />
                    <TextField
                      name="price"
                      label={`${t('setup.value')} ${t('setup.price')}`}
                      hint={t('setup.price')}
                      size={7}
                    />
                    <button type="submit">{t('setup.add')}</button>
                  </InlineForm>
                ) : null}
              </EditableList>
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
                          void change('quota', q.id, { size: text === '' ? null : text });
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
                onSubmit={(f) => {
                  const size = field(f, 'size');
                  const items = checkedValues(f, 'items');
                  const sub = field(f, 'subevent');
                  return save('quota', {
                    name: field(f, 'name'),
                    size: size === '' ? null : size,
                    items,
                    variations: variationsOf(shown, items),
                    subeventId: sub ? Number(sub) : null,
                  });
                }}
              >
                <NameField of={t('setup.quotas')} />
                <TextField name="size" label={t('setup.size')} inputMode="numeric" size={8} />
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
                  onSubmit={(f) =>
                    save('subevent', {
                      name: i18n(field(f, 'name') || shown.name),
                      dateFrom: new Date(field(f, 'date_from')).toISOString(),
                      active: true,
                    })
                  }
                >
                  <NameField of={t('setup.dates')} required={false} />
                  <TextField name="date_from" type="datetime-local" label={t('setup.start')} required />
                  <button type="submit">{t('setup.add')}</button>
                </InlineForm>
              </Section>
            ) : null}
            <Section title={t('setup.questions')}>
              <EditableList<Question>
                {...commandsOf('question', (f, q?: Question) => {
                  const fields = questionFields(f);
                  if (q || (fields.type !== 'C' && fields.type !== 'M')) return fields;
                  return { ...fields, options: list(field(f, 'options')).map((o) => ({ answer: i18n(o) })) };
                })}
                onUpdate={async (q, f) => {
                  const added = list(field(f, 'options'));
                  if (!(await change('question', q.id, questionFields(f)))) return false;
                  for (const answer of added)
                    if (!(await save('question_option', { answer: i18n(answer) }, q.id))) return false;
                  return true;
                }}
                rows={shown.questions.map((q) => ({ ...q, name: q.question }))}
                rowAttributes={() => ({ 'data-testid': 'setup-question' })}
                show={(q) => (
                  <>
                    {q.question} ({typeName(q.type)}){q.required ? ' *' : ''}
                    {q.options.length ? ` — ${q.options.map((o) => o.answer).join(', ')}` : ''}
                  </>
                )}
                fields={(q) => (
                  <>
                    <TextField
                      name="question"
                      label={t('setup.questions')}
                      value={q?.question}
                      required
                      autoFocus={q !== undefined}
                    />
                    <QuestionTypeSelect defaultValue={q?.type} />
                    <Check name="required" label={t('setup.required')} defaultChecked={q?.required} />
                    <ItemChecks items={shown.items} checked={q?.items} />
                    {q?.options.map((o) => (
                      <span key={o.id} className="chip">
                        {o.answer}{' '}
                        <DeleteButton
                          name={o.answer}
                          onDelete={() => void remove('question_option', o.id, o.answer, [], q.id)}
                        />
                      </span>
                    ))}
                    <TextField name="options" label={t(q ? 'setup.optionsNew' : 'setup.options')} />
                  </>
                )}
              />
            </Section>
            <Section title={t('setup.taxRules')}>
              <EditableList<TaxRule>
                {...commandsOf('tax_rule', taxRuleFields)}
                rows={shown.taxRules}
                show={(r) => `${r.name} ${formatPercent(locale, r.rate)}`}
                fields={(r) => (
                  <>
                    <NameField of={t('setup.taxRules')} value={r?.name} autoFocus={r !== undefined} />
                    <TextField name="rate" label={t('setup.rate')} value={r?.rate} size={6} required />
                  </>
                )}
              />
            </Section>
            <Section title={t('setup.checkinLists')}>
              <EditableList<CheckinList>
                {...commandsOf('checkin_list', (f, l?: CheckinList) => ({
                  name: field(f, 'name'),
                  // A new list admits every product; an edited one keeps what it admits.
                  allProducts: l?.allProducts ?? true,
                }))}
                rows={shown.checkinLists}
                fields={(l) => (
                  <NameField of={t('setup.checkinLists')} value={l?.name} autoFocus={l !== undefined} />
                )}
              />
            </Section>
          </div>
        ) : null}
      </Needs>
    </Screen>
  );
}

/** A new event's fields (with its slug and whether it is a series), or those an event is edited by. */
function EventFields({ event }: { event?: SetupEventView }) {
  const t = useT();
  const of = (label: string) => (event ? `${t('setup.event')} ${label}` : label);
  return (
    <>
      <NameField of={event ? t('setup.event') : undefined} value={event?.name} />
      {event ? null : (
        <TextField name="slug" label={t('setup.slug')} required pattern="[a-zA-Z0-9][a-zA-Z0-9.\-]*" />
      )}
      <TextField
        name="currency"
        label={of(t('setup.currency'))}
        hint="EUR"
        value={event?.currency}
        size={4}
      />
      <TextField
        name="date_from"
        type="datetime-local"
        label={of(t('setup.start'))}
        value={event ? localInput(event.dateFrom) : undefined}
      />
      {event ? null : <Check name="has_subevents" label={t('setup.series')} />}
    </>
  );
}

/** A new item's fields (with its variations), or those an item is edited by (with whether it is on sale). */
function ItemFields({ item, taxRules }: { item?: Item; taxRules: SetupEventView['taxRules'] }) {
  const t = useT();
  return (
    <>
      <NameField of={t('setup.item')} value={item?.name} autoFocus={item !== undefined} />
      <TextField name="price" label={t('setup.price')} value={item?.price} inputMode="decimal" size={7} />
      <TaxRuleSelect rules={taxRules} defaultValue={item ? (item.taxRuleId ?? '') : undefined} />
      {item ? null : <TextField name="variations" label={t('setup.variationsNew')} />}
      <Check name="admission" label={t('setup.admission')} defaultChecked={item?.admission ?? true} />
      <Check
        name="require_approval"
        label={t('setup.requireApproval')}
        defaultChecked={item?.requireApproval}
      />
      {item ? <Check name="active" label={t('setup.active')} defaultChecked={item.active} /> : null}
    </>
  );
}

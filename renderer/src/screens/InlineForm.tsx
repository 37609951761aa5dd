import type { FormEvent, HTMLAttributes, InputHTMLAttributes, ReactNode } from 'react';
import { useT } from '../context';

/**
 * A form in a row of the screen: Enter submits, Esc cancels. `onSubmit` reads the form it is given and
 * says whether it saved; a saved form empties for the next object.
 */
export function InlineForm({
  label,
  onSubmit,
  onCancel,
  children,
}: {
  label: string;
  onSubmit: (form: HTMLFormElement) => Promise<boolean>;
  onCancel?: () => void;
  children: ReactNode;
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
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const form = e.currentTarget;
        void onSubmit(form).then((ok) => ok && form.reset());
      }}
    >
      {children}
    </form>
  );
}

/** The trimmed text of a form's field. */
export const field = (form: HTMLFormElement, name: string): string =>
  ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
/** Whether a form's checkbox is ticked. */
export const checked = (form: HTMLFormElement, name: string): boolean =>
  (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
/** The numbers of a form's ticked checkboxes of one name. */
export const checkedValues = (form: HTMLFormElement, name: string): number[] =>
  Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)).map((i) =>
    Number(i.value),
  );
/** A decimal typed with a comma or a point, as the engine reads it. */
export const decimalField = (form: HTMLFormElement, name: string): string =>
  field(form, name).replace(',', '.');

type InputAttributes = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'defaultValue' | 'placeholder'>;

/**
 * A text field of an inline form, named for what it fills and labelled for screen readers. A new
 * object's field shows `hint` (else its label) as a placeholder; an edited object's starts from `value`.
 */
export function TextField({
  name,
  label,
  hint,
  value,
  ...input
}: { name: string; label: string; hint?: string; value?: string | number | null } & InputAttributes) {
  return (
    <input
      name={name}
      aria-label={label}
      placeholder={value === undefined ? (hint ?? label) : undefined}
      defaultValue={value ?? undefined}
      {...input}
    />
  );
}

/** A labelled checkbox of an inline form. */
export function Check({
  name,
  label,
  defaultChecked,
}: {
  name: string;
  label: string;
  defaultChecked?: boolean;
}) {
  return (
    <label>
      <input type="checkbox" name={name} defaultChecked={defaultChecked} /> {label}
    </label>
  );
}

/** A delete button named for what it deletes; the confirmation comes from `onDelete`. */
export function DeleteButton({ name, onDelete }: { name: string; onDelete: () => void }) {
  const t = useT();
  return (
    <button type="button" className="link" aria-label={`${t('setup.delete')} ${name}`} onClick={onDelete}>
      ×
    </button>
  );
}

/** Which object is being edited, as `kind-id`: one at a time on a screen. */
export interface Editing {
  key: string | null;
  set: (key: string | null) => void;
}

type RowAttributes = Pick<HTMLAttributes<HTMLElement>, 'className'> & { 'data-testid'?: string };

/**
 * The objects of one kind with their forms: each row shows the object with Edit and Delete, or its
 * form while it is edited; the form for a new one follows. The same `fields` serve both forms (empty
 * for a new object). As a table, `show` gives the row's cells and `columns` counts them with the buttons.
 */
export function EditableList<R extends { id: number; name: string }>({
  kind,
  rows,
  editing,
  show = (row) => row.name,
  fields,
  onCreate,
  onUpdate,
  onDelete,
  rowAttributes,
  columns,
  children,
}: {
  /** Names the forms: `new-<kind>` and `edit-<kind>-<id>`. */
  kind: string;
  rows: R[];
  editing: Editing;
  /** The row as shown (its name unless said). */
  show?: (row: R) => ReactNode;
  fields: (row?: R) => ReactNode;
  onCreate: (form: HTMLFormElement) => Promise<boolean>;
  onUpdate: (row: R, form: HTMLFormElement) => Promise<boolean>;
  onDelete: (row: R) => void;
  rowAttributes?: (row: R) => RowAttributes;
  columns?: number;
  /** What follows the form for a new object. */
  children?: ReactNode;
}) {
  const t = useT();
  const buttons = (row: R) => (
    <>
      <button
        className="link"
        aria-label={`${t('setup.edit')} ${row.name}`}
        onClick={() => editing.set(`${kind}-${row.id}`)}
      >
        {t('setup.edit')}
      </button>
      <DeleteButton name={row.name} onDelete={() => onDelete(row)} />
    </>
  );
  const form = (row: R) => (
    <InlineForm
      label={`edit-${kind}-${row.id}`}
      onCancel={() => editing.set(null)}
      onSubmit={(f) => onUpdate(row, f)}
    >
      {fields(row)}
      <button type="submit">{t('common.save')}</button>
      <button type="button" onClick={() => editing.set(null)}>
        {t('setup.cancel')}
      </button>
    </InlineForm>
  );
  const isEdited = (row: R) => editing.key === `${kind}-${row.id}`;
  const list = columns ? (
    <table>
      <tbody>
        {rows.map((row) =>
          isEdited(row) ? (
            <tr key={row.id}>
              <td colSpan={columns}>{form(row)}</td>
            </tr>
          ) : (
            <tr key={row.id} {...rowAttributes?.(row)}>
              {show(row)}
              <td>{buttons(row)}</td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  ) : (
    <ul>
      {rows.map((row) => (
        <li key={row.id} {...(isEdited(row) ? {} : rowAttributes?.(row))}>
          {isEdited(row) ? (
            form(row)
          ) : (
            <>
              {show(row)} {buttons(row)}
            </>
          )}
        </li>
      ))}
    </ul>
  );
  return (
    <>
      {list}
      <InlineForm label={`new-${kind}`} onSubmit={onCreate}>
        {fields()}
        <button type="submit">{t('setup.add')}</button>
      </InlineForm>
      {children}
    </>
  );
}

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmChoice {
  id: string;
  label: string;
  danger?: boolean;
}

export interface ConfirmRequest {
  title: string;
  /** What follows from the action, in plain words. */
  lines: string[];
  /** The actions on offer; the last one keeps things as they are and has the focus. */
  choices: ConfirmChoice[];
}

/**
 * A confirmation before anything destructive: says what follows and waits for a choice. The keeping
 * choice has the focus, so a stray Enter changes nothing; Escape keeps too.
 */
export function useConfirm(): [ReactNode, (request: ConfirmRequest) => Promise<string | null>] {
  const [open, setOpen] = useState<(ConfirmRequest & { resolve: (id: string | null) => void }) | null>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const ask = useCallback(
    (request: ConfirmRequest) => new Promise<string | null>((resolve) => setOpen({ ...request, resolve })),
    [],
  );
  const close = (id: string | null) => {
    open?.resolve(id);
    setOpen(null);
  };
  useEffect(() => {
    if (open) keep.current?.focus();
  }, [open]);
  const dialog = open ? (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-label={open.title}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close(null);
          }
        }}
      >
        <h2>{open.title}</h2>
        {open.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <div className="dialog-actions">
          {open.choices.map((c, i) => (
            <button
              key={c.id}
              ref={i === open.choices.length - 1 ? keep : undefined}
              className={c.danger ? 'danger' : undefined}
              data-choice={c.id}
              onClick={() => close(i === open.choices.length - 1 ? null : c.id)}
            >
              {c.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  ) : null;
  return [dialog, ask];
}

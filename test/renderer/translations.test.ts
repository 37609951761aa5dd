import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, type MessageKey } from '../../renderer/src/i18n';
import { QUESTION_TYPES } from '../../main/engine/catalog/questions';
import { DESK_METHODS, LOCALES } from '../../shared/contract';

const ROOT = join(__dirname, '..', '..');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every key a code set needs, in every language, with a text of its own (not the key itself). */
function missing(keys: string[]): string[] {
  return LOCALES.flatMap((locale) =>
    keys
      .filter((k) => {
        const text = (DICTIONARIES[locale] as Record<string, string | undefined>)[k];
        return !text || text === k;
      })
      .map((k) => `${locale}: ${k}`),
  );
}

/** The audit-log codes an order's log can show: every literal the engine writes, and the built ones. */
function orderLogCodes(): string[] {
  const codes = new Set<string>();
  for (const file of files(join(ROOT, 'main'), /\.ts$/)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /'((?:pretix\.event\.order|guichet\.desk\.order|guichet\.order)[a-z_.]*)'/g,
    ))
      codes.add(m[1]!);
  }
  for (const key of ['email', 'phone', 'locale', 'comment', 'checkin_attention', 'custom_followup_at'])
    if ([...codes].some((c) => c === `pretix.event.order.${key}.changed`))
      codes.add(`pretix.event.order.${key}.changed`);
  for (const state of ['created', 'transit', 'done', 'failed', 'canceled', 'external'])
    codes.add(`pretix.event.order.refund.${state}`);
  codes.add('pretix.event.order.changed.add_block');
  codes.add('pretix.event.order.changed.remove_block');
  return [...codes].sort();
}

describe('every visible string goes through the translations', () => {
  it('has a text in every language for every code the desk shows', () => {
    const keys = [
      ...QUESTION_TYPES.map((type) => `questionType.${type}`),
      ...['created', 'pending', 'confirmed', 'canceled', 'failed', 'refunded'].map(
        (s) => `paymentState.${s}`,
      ),
      ...['created', 'transit', 'done', 'failed', 'canceled', 'external'].map((s) => `refundState.${s}`),
      ...['all', 'read', 'checkin'].map((s) => `scope.${s}`),
      ...['entry', 'exit'].map((s) => `checkinType.${s}`),
      ...DESK_METHODS.map((m) => `method.${m}`),
      ...orderLogCodes().map((code) => `log.${code}`),
      'key.ctrl',
    ];
    expect(missing(keys)).toEqual([]);
    expect(DICTIONARIES.de['key.ctrl' as MessageKey]).toBe('Strg');
  });

  it('has no text in the screens that bypasses the translations', () => {
    /** Key names and symbols are the same in every language; "Ctrl" is not (Strg). */
    const universal =
      /^(?:[A-Z]|F\d{1,2}|\+?Enter|Esc|Tab|Alt\+[A-Z]?|A4|[A-Z]{3}|[\d.]+\s?(?:mm|in)|2 × 5\.5 in|[a-z]+(?:-[a-z]+)+|[\s\d×—–·:;,.()/+*#%€$@?!↑↓⌫|-]*)$/;
    const attributes = new Set(['placeholder', 'aria-label', 'title', 'alt', 'label']);
    const found: string[] = [];
    for (const file of files(join(ROOT, 'renderer', 'src'), /\.tsx$/)) {
      const source = ts.createSourceFile(
        file,
        readFileSync(file, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.TSX,
      );
      const where = (node: ts.Node) =>
        `${file.slice(ROOT.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const visit = (node: ts.Node) => {
        if (ts.isJsxText(node)) {
          const text = node.text.trim();
          if (text && /[A-Za-z]/.test(text) && !universal.test(text)) found.push(`${where(node)} “${text}”`);
        }
        if (ts.isJsxAttribute(node) && attributes.has(node.name.getText()) && node.initializer) {
          const init = node.initializer;
          const literal = ts.isStringLiteral(init)
            ? init.text
            : ts.isJsxExpression(init) && init.expression && ts.isStringLiteral(init.expression)
              ? init.expression.text
              : null;
          if (literal && /[A-Za-z]{2,}/.test(literal) && !universal.test(literal))
            found.push(`${where(node)} ${node.name.getText()}="${literal}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});

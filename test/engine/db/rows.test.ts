import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rowTypeName, rowTypesSource } from '../../../main/engine/db/row-types';

describe('row types', () => {
  it('rows.ts is what the migrations build (run `npm run db:rows` after adding a migration)', () => {
    const committed = readFileSync(new URL('../../../main/engine/db/rows.ts', import.meta.url), 'utf8');
    expect(committed).toBe(rowTypesSource());
  });

  it('declares a run of columns several tables share once, and those tables extend it', () => {
    const source = rowTypesSource();
    expect(source).toContain('export interface AttendeeColumns {\n  attendee_name_cached: string | null;');
    expect(source).toContain('export interface CartPositionRow extends AttendeeColumns {');
    expect(source).toContain('export interface OrderPositionRow extends AttendeeColumns {');
    expect(source).toContain('export interface SubeventRow extends ScheduleColumns {');
    expect(source.match(/^ {2}attendee_email: /gm)).toHaveLength(1);
  });

  it('types the generated columns too, which `SELECT *` returns', () => {
    expect(rowTypesSource()).toMatch(/export interface OrderPaymentRow \{[^}]*\n {2}method: string \| null;/);
  });

  it('names a table’s row type by its singular', () => {
    expect(rowTypeName('order_positions')).toBe('OrderPositionRow');
    expect(rowTypeName('categories')).toBe('CategoryRow');
    expect(rowTypeName('invoice_addresses')).toBe('InvoiceAddressRow');
    expect(rowTypeName('audit_log')).toBe('AuditLogRow');
    expect(rowTypeName('sync_connection')).toBe('SyncConnectionRow');
  });
});

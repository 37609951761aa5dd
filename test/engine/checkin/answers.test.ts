import { describe, expect, it } from 'vitest';
import { cleanAnswer } from '../../../main/engine/checkin/checkin-questions';
import { fixtureEvent, fixtureItem, fixtureQuestion } from '../../fixtures/catalog';
import { testEngine } from '../../helpers';

describe('answers given at the door', () => {
  it('validates and normalises each question type as pretix stores it', () => {
    const { engine, organizerId } = testEngine();
    const eventId = fixtureEvent(engine, organizerId);
    const item = fixtureItem(engine, eventId);
    const question = (type: string, required: boolean) => {
      const q = fixtureQuestion(engine, eventId, { type, items: [item], required, options: ['Red', 'Blue'] });
      return { q, meta: { id: q.id, type, required, identifier: 'x' } };
    };
    const requiredBool = question('B', true).meta;
    const optionalBool = question('B', false).meta;
    expect(cleanAnswer(engine.db, requiredBool, 'true')).toEqual({ text: 'True', options: [] });
    expect(cleanAnswer(engine.db, requiredBool, 'false')).toBeUndefined();
    expect(cleanAnswer(engine.db, optionalBool, 'false')).toBeNull();
    const number = question('N', true).meta;
    engine.db.prepare("UPDATE questions SET valid_number_max = '10' WHERE id = ?").run(number.id);
    expect(cleanAnswer(engine.db, number, '3.5')).toEqual({ text: '3.5', options: [] });
    expect(cleanAnswer(engine.db, number, '11')).toBeUndefined();
    expect(cleanAnswer(engine.db, number, 'three')).toBeUndefined();
    expect(cleanAnswer(engine.db, question('D', true).meta, '2026-02-30')).toBeUndefined();
    expect(cleanAnswer(engine.db, question('H', true).meta, '9:05')).toEqual({
      text: '09:05:00',
      options: [],
    });
    const multiple = question('M', true);
    expect(
      cleanAnswer(engine.db, multiple.meta, `${multiple.q.options[1]},${multiple.q.options[0]}`),
    ).toEqual({
      text: 'Blue, Red',
      options: [multiple.q.options[1], multiple.q.options[0]],
    });
    expect(cleanAnswer(engine.db, multiple.meta, `${multiple.q.options[0]},999999`)).toBeUndefined();
    expect(cleanAnswer(engine.db, question('S', false).meta, '')).toBeNull();
    expect(cleanAnswer(engine.db, question('S', true).meta, '  ')).toBeUndefined();
  });
});

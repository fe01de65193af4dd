import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  IllegalShipmentTransitionError,
  SHIPMENT_STATES,
  SHIPMENT_TRANSITIONS,
} from './shipment-state.js';

describe('shipment state machine', () => {
  it('allows the happy path and in-doubt recovery', () => {
    const path: Array<[string, string]> = [
      ['intent_recorded', 'submitting'],
      ['submitting', 'in_doubt'],
      ['in_doubt', 'shipped'],
      ['shipped', 'written_back'],
      ['written_back', 'void_requested'],
      ['void_requested', 'voided'],
    ];
    for (const [from, to] of path) expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('never lets a shipment be submitted twice without a lookup', () => {
    expect(canTransition('submitting', 'intent_recorded')).toBe(false);
    expect(canTransition('in_doubt', 'submitting')).toBe(false);
    expect(canTransition('shipped', 'intent_recorded')).toBe(false);
    expect(canTransition('in_doubt', 'intent_recorded')).toBe(true);
  });

  it('rejects an illegal transition with an error naming both states', () => {
    expect(() => assertTransition('voided', 'shipped')).toThrow(IllegalShipmentTransitionError);
    expect(() => assertTransition('voided', 'shipped')).toThrow(/voided → shipped.*none \(terminal\)/);
    expect(() => assertTransition('shipped', 'submitting')).toThrow(
      /shipped → submitting.*written_back, void_requested/,
    );
    expect(() => assertTransition('bogus', 'shipped')).toThrow(/bogus → shipped/);
  });

  it('has a transition table that only names known states', () => {
    expect(Object.keys(SHIPMENT_TRANSITIONS).sort()).toEqual([...SHIPMENT_STATES].sort());
    for (const targets of Object.values(SHIPMENT_TRANSITIONS)) {
      for (const t of targets) expect(SHIPMENT_STATES).toContain(t);
    }
    expect(SHIPMENT_TRANSITIONS).toMatchSnapshot();
  });
});

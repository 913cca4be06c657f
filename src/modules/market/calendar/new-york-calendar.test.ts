import { describe, expect, it } from 'vitest';
import {
  closeInstantOf,
  lastCompleteSession,
  marketState,
  newYorkDate,
  previousTradingDay,
  sessionOn,
  isTradingDay,
} from './new-york-calendar.js';
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, NYSE_EARLY_CLOSES, NYSE_HOLIDAYS } from './nyse-holidays.js';

// Reference values: the NYSE's published holidays and early closings,
// https://www.nyse.com/markets/hours-calendars (2024-2027 tables, 13:00 ET early closes),
// and the US DST rules (second Sunday of March, first Sunday of November, 02:00 local).
const at = (iso: string) => new Date(iso);

describe('trading days', () => {
  it.each([
    ['2026-11-26', false, 'Thanksgiving'],
    ['2026-11-27', true, 'the day after Thanksgiving (early close)'],
    ['2025-01-09', false, 'the national day of mourning for President Carter'],
    ['2025-04-18', false, 'Good Friday 2025'],
    ['2026-04-03', false, 'Good Friday 2026'],
    ['2026-06-19', false, 'Juneteenth'],
    ['2027-06-18', false, 'Juneteenth 2027, observed on the Friday'],
    ['2026-07-03', false, 'Independence Day 2026, observed on the Friday'],
    ['2027-12-24', false, 'Christmas 2027, observed on the Friday'],
    ['2021-12-31', true, 'New Year 2022 on a Saturday is not observed the day before'],
    ['2026-11-28', false, 'a Saturday'],
    ['2026-11-30', true, 'an ordinary Monday'],
  ])('%s trades: %s (%s)', (date, trades) => {
    expect(isTradingDay(date)).toBe(trades);
  });

  it('has nine to eleven weekday closures and one to three early closes, all on weekdays, in every year of the table', () => {
    for (let year = FIRST_CALENDAR_YEAR; year <= LAST_CALENDAR_YEAR; year++) {
      expect(NYSE_HOLIDAYS[year]!.length, String(year)).toBeGreaterThanOrEqual(9);
      expect(NYSE_HOLIDAYS[year]!.length, String(year)).toBeLessThanOrEqual(11);
      expect(NYSE_EARLY_CLOSES[year]!.length, String(year)).toBeGreaterThanOrEqual(1);
      for (const key of [...NYSE_HOLIDAYS[year]!, ...NYSE_EARLY_CLOSES[year]!]) {
        expect([0, 6], `${year}-${key} is a weekday`).not.toContain(new Date(`${year}-${key}T12:00:00Z`).getUTCDay());
      }
    }
  });

  it('steps back over weekends and holidays to the previous trading day', () => {
    expect(previousTradingDay('2026-11-30')).toBe('2026-11-27');
    expect(previousTradingDay('2026-11-27')).toBe('2026-11-25');
    expect(previousTradingDay('2025-01-10')).toBe('2025-01-08');
  });
});

describe('sessions', () => {
  it('opens at 09:30 and closes at 16:00 New York time, in EST and in EDT', () => {
    expect(sessionOn('2026-12-01')).toEqual({
      date: '2026-12-01',
      preMarket: at('2026-12-01T09:00:00Z'),
      open: at('2026-12-01T14:30:00Z'),
      close: at('2026-12-01T21:00:00Z'),
    });
    expect(sessionOn('2026-07-01')!.open).toEqual(at('2026-07-01T13:30:00Z'));
    expect(sessionOn('2026-07-01')!.close).toEqual(at('2026-07-01T20:00:00Z'));
  });

  it('closes at 13:00 on the published early-close days', () => {
    expect(sessionOn('2026-11-27')!.close).toEqual(at('2026-11-27T18:00:00Z'));
    expect(sessionOn('2025-07-03')!.close).toEqual(at('2025-07-03T17:00:00Z'));
    expect(sessionOn('2025-12-24')!.close).toEqual(at('2025-12-24T18:00:00Z'));
  });

  it('follows the DST switch days: EDT from 2026-03-08, EST from 2026-11-01', () => {
    expect(sessionOn('2026-03-06')!.open).toEqual(at('2026-03-06T14:30:00Z'));
    expect(sessionOn('2026-03-09')!.open).toEqual(at('2026-03-09T13:30:00Z'));
    expect(sessionOn('2026-10-30')!.close).toEqual(at('2026-10-30T20:00:00Z'));
    expect(sessionOn('2026-11-02')!.close).toEqual(at('2026-11-02T21:00:00Z'));
    // The switch day itself: 01:59 EST is followed by 03:00 EDT.
    expect(newYorkDate(at('2026-03-08T04:59:00Z'))).toBe('2026-03-07');
    expect(newYorkDate(at('2026-03-08T05:00:00Z'))).toBe('2026-03-08');
  });

  it('has no session on a closed day, but a candle on one still closes at 16:00', () => {
    expect(sessionOn('2026-11-26')).toBeNull();
    expect(closeInstantOf('2026-11-26')).toEqual(at('2026-11-26T21:00:00Z'));
  });
});

describe('marketState', () => {
  it.each([
    ['2026-12-01T08:59:59Z', 'CLOSED', '03:59 EST, before the pre-market'],
    ['2026-12-01T09:00:00Z', 'PRE', '04:00 EST'],
    ['2026-12-01T14:29:59Z', 'PRE', '09:29:59 EST'],
    ['2026-12-01T14:30:00Z', 'OPEN', '09:30 EST'],
    ['2026-12-01T20:59:59Z', 'OPEN', '15:59:59 EST'],
    ['2026-12-01T21:00:00Z', 'CLOSED', '16:00 EST: after-hours count as closed'],
    ['2026-07-01T13:30:00Z', 'OPEN', '09:30 EDT'],
    ['2026-07-01T13:29:00Z', 'PRE', '09:29 EDT'],
    ['2026-11-27T17:59:00Z', 'OPEN', '12:59 on the early-close day after Thanksgiving'],
    ['2026-11-27T18:00:00Z', 'CLOSED', '13:00 on the early-close day after Thanksgiving'],
    ['2026-11-26T15:00:00Z', 'CLOSED', 'Thanksgiving, mid-morning'],
    ['2026-11-28T15:00:00Z', 'CLOSED', 'Saturday'],
  ])('%s is %s (%s)', (instant, state) => {
    expect(marketState(at(instant))).toBe(state);
  });
});

describe('lastCompleteSession', () => {
  it('is yesterday until today\'s close, then today', () => {
    expect(lastCompleteSession(at('2026-12-01T15:00:00Z'))).toBe('2026-11-30');
    expect(lastCompleteSession(at('2026-12-01T20:59:59Z'))).toBe('2026-11-30');
    expect(lastCompleteSession(at('2026-12-01T21:00:00Z'))).toBe('2026-12-01');
  });

  it('skips weekends and holidays, and honours the early close', () => {
    expect(lastCompleteSession(at('2026-11-30T15:00:00Z'))).toBe('2026-11-27'); // Monday morning
    expect(lastCompleteSession(at('2026-11-27T17:00:00Z'))).toBe('2026-11-25'); // before the 13:00 close
    expect(lastCompleteSession(at('2026-11-27T18:00:00Z'))).toBe('2026-11-27');
    expect(lastCompleteSession(at('2026-11-26T23:00:00Z'))).toBe('2026-11-25'); // Thanksgiving evening
  });

  it('uses the New York date, not the UTC one, late in the evening', () => {
    // 2026-12-02 02:00 UTC is 21:00 on Dec 1 in New York.
    expect(lastCompleteSession(at('2026-12-02T02:00:00Z'))).toBe('2026-12-01');
  });
});

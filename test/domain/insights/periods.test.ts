import { describe, expect, it } from 'vitest';
import {
  comparisonPeriod,
  describePeriod,
  type PeriodInput,
  resolvePeriod,
} from '../../../src/domain/insights/periods.ts';

// Wednesday 25 March 2026, 00:30 in Kolkata: still the 24th in UTC.
const now = new Date('2026-03-24T19:00:00Z');
const at = (input: PeriodInput) => resolvePeriod(input, now, 'Asia/Kolkata');

describe('business periods', () => {
  it('resolves named periods on the business’s own calendar day, weeks from Monday', () => {
    expect(at('today')).toEqual({ from: '2026-03-25', to: '2026-03-25', toDate: false });
    expect(at('yesterday').from).toBe('2026-03-24');
    expect(at('day_before_yesterday').from).toBe('2026-03-23');
    expect(at('this_week')).toEqual({ from: '2026-03-23', to: '2026-03-25', toDate: true });
    expect(at('last_week')).toEqual({ from: '2026-03-16', to: '2026-03-22', toDate: false });
    expect(at('this_month')).toEqual({ from: '2026-03-01', to: '2026-03-25', toDate: true });
    expect(at('last_month')).toEqual({ from: '2026-02-01', to: '2026-02-28', toDate: false });
    expect(at('last_7_days')).toEqual({ from: '2026-03-19', to: '2026-03-25', toDate: false });
    expect(resolvePeriod('today', now, 'UTC').from).toBe('2026-03-24');
  });

  it('follows the April–March financial year and its quarters', () => {
    expect(at('this_fy')).toEqual({ from: '2025-04-01', to: '2026-03-25', toDate: true });
    expect(at('last_fy')).toEqual({ from: '2024-04-01', to: '2025-03-31', toDate: false });
    expect(at('this_quarter')).toEqual({ from: '2026-01-01', to: '2026-03-25', toDate: true });
    expect(at('last_quarter')).toEqual({ from: '2025-10-01', to: '2025-12-31', toDate: false });
    expect(at('q1')).toEqual({ from: '2025-04-01', to: '2025-06-30', toDate: false });
    expect(at('q4')).toEqual({ from: '2026-01-01', to: '2026-03-25', toDate: true });
    // In June, Q4 is the January–March just gone, not one yet to come.
    const june = resolvePeriod('q4', new Date('2026-06-10T06:00:00Z'), 'Asia/Kolkata');
    expect(june).toEqual({ from: '2026-01-01', to: '2026-03-31', toDate: false });
    expect(at('fy2024-25')).toEqual({ from: '2024-04-01', to: '2025-03-31', toDate: false });
    expect(at('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28', toDate: false });
    expect(at({ from: '2026-03-10', to: '2026-03-01' })).toEqual({
      from: '2026-03-01',
      to: '2026-03-10',
      toDate: false,
    });
  });

  it('compares whole months with whole months and a running period with as many days before', () => {
    expect(comparisonPeriod(at('last_month'), 'previous_period')).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      toDate: false,
    });
    expect(comparisonPeriod(at('this_month'), 'previous_period')).toEqual({
      from: '2026-02-01',
      to: '2026-02-25',
      toDate: true,
    });
    expect(comparisonPeriod(at('last_quarter'), 'previous_period')).toEqual({
      from: '2025-07-01',
      to: '2025-09-30',
      toDate: false,
    });
    expect(comparisonPeriod(at('last_week'), 'previous_period')).toEqual({
      from: '2026-03-09',
      to: '2026-03-15',
      toDate: false,
    });
    expect(comparisonPeriod(at('this_fy'), 'same_period_last_year')).toEqual({
      from: '2024-04-01',
      to: '2025-03-25',
      toDate: true,
    });
    const leap = resolvePeriod({ from: '2028-02-29', to: '2028-02-29' }, now, 'Asia/Kolkata');
    expect(comparisonPeriod(leap, 'same_period_last_year').from).toBe('2027-02-28');
    // 31 March running gives the last day of a shorter month, not a date past its end.
    const march31 = resolvePeriod('this_month', new Date('2026-03-31T06:00:00Z'), 'Asia/Kolkata');
    expect(comparisonPeriod(march31, 'previous_period').to).toBe('2026-02-28');
  });

  it('spells the dates out', () => {
    expect(describePeriod(at('last_month'))).toBe('1–28 February 2026');
    expect(describePeriod(at('today'))).toBe('Wed, 25 March 2026');
    expect(describePeriod(at('this_week'))).toBe('23–25 March 2026');
    expect(describePeriod(at('this_fy'))).toBe('1 April 2025 – 25 March 2026');
    expect(describePeriod({ from: '2026-02-20', to: '2026-03-05', toDate: false })).toBe(
      '20 February – 5 March 2026',
    );
  });
});

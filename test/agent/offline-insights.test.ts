import { describe, expect, it } from 'vitest';
import { parseBusinessQuestion } from '../../src/agent/offline/insights.ts';
import { parseUtterance } from '../../src/agent/offline/parse.ts';

// Wednesday 25 March 2026, 10:30 in Kolkata.
const ctx = { now: new Date('2026-03-25T05:00:00Z'), timezone: 'Asia/Kolkata' };
const parse = (text: string) => parseBusinessQuestion(text, ctx);

describe('business questions in the offline model', () => {
  it.each([
    ['how much did I sell this month?', { metric: 'sales', period: 'this_month' }],
    ['iss mahine ka turnover kitna raha', { metric: 'sales', period: 'this_month' }],
    ['kal kitna paisa aaya?', { metric: 'payments_received', period: 'yesterday' }],
    ['parso kitna collection hua', { metric: 'payments_received', period: 'day_before_yesterday' }],
    ['bank mein kitna hai', { metric: 'bank_balance' }],
    ['who owes me the most?', { metric: 'receivables_outstanding', group_by: 'party' }],
    ['which customer has the largest dues', { metric: 'receivables_outstanding', group_by: 'party' }],
    ['kaun late pay karta hai', { metric: 'overdue_receivables', group_by: 'party' }],
    ['best 5 buyers this FY', { metric: 'sales', period: 'this_fy', group_by: 'party', limit: 5 }],
    [
      'revenue this quarter against last quarter',
      { metric: 'sales', period: 'this_quarter', compare_to: 'previous_period' },
    ],
    ['suppliers ko kitna dena baaki hai', { metric: 'payables_outstanding' }],
    ['GST collected last month', { metric: 'gst_collected', period: 'last_month' }],
    ['sales month wise this year', { metric: 'sales', period: 'this_fy', group_by: 'month' }],
    ['how many orders this week', { metric: 'order_count', period: 'this_week' }],
    ['sales in february', { metric: 'sales', period: '2026-02' }],
    ['sales in Q3', { metric: 'sales', period: 'q3' }],
  ])('%s', (text, call) => {
    expect(parse(text)).toEqual({ kind: 'metric', call });
  });

  it('names the party a question is about, to look up first', () => {
    expect(parse('ABC Traders ka kitna baaki hai')).toEqual({
      kind: 'metric',
      call: { metric: 'receivables_outstanding' },
      party: 'abc traders',
    });
    expect(parse('how much does Mehta Electricals owe me?')).toMatchObject({ party: 'mehta electricals' });
    expect(parse('payments from Gupta & Sons this month')).toMatchObject({
      call: { metric: 'payments_received', period: 'this_month' },
      party: 'gupta & sons',
    });
  });

  it('says what it cannot tell, and asks for the dates of a festival', () => {
    expect(parse('what is my stock worth')).toEqual({ kind: 'outside' });
    expect(parse('is mahine ka profit kitna hua')).toEqual({ kind: 'outside' });
    expect(parse('sales since Diwali?')).toEqual({ kind: 'ask_period', said: 'diwali' });
  });

  it('never makes a question about the numbers into a task or follow-up', () => {
    for (const text of ['ABC Traders ka kitna baaki hai', 'who owes me the most?', 'kal kitna paisa aaya?']) {
      expect(parseUtterance(text, ctx).kind).toBe('business_question');
    }
  });
});

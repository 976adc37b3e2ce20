import { describe, expect, it } from 'vitest';
import { namePatterns, rankByName, stem } from '../../src/domain/lookup.ts';

// How a task or follow-up is found from how a person names it: by stems and the glossary, the best match
// only, or every close one so the assistant can ask which.
const find = (ref: string, titles: string[]) => rankByName(ref, titles, (t) => t);

describe('finding a task by how it is named', () => {
  it('joins the forms of a word, in English and romanised Hindi', () => {
    for (const [a, b] of [
      ['deposited', 'deposit'],
      ['cheques', 'cheque'],
      ['servicing', 'service'],
      ['salaries', 'salary'],
      ['boxes', 'box'],
      ['bhejna', 'bheja'],
      ['kiraya', 'kiraye'],
    ] as const) {
      expect(stem(a), `${a} ~ ${b}`).toBe(stem(b));
    }
  });

  it('finds a task named by a paraphrase, an inflection or the other language', () => {
    const titles = [
      'File GST returns',
      'Pay GST penalty',
      'Pay warehouse rent',
      'Pay shop rent',
      'Pay electricity bill',
    ];
    expect(find('filed the returns', titles)).toEqual(['File GST returns']);
    expect(find('godown ka kiraya bhar', titles)).toEqual(['Pay warehouse rent']);
    expect(find('power bill paid', titles)).toEqual(['Pay electricity bill']);
    expect(find('Staff ki tankhwah', ['Pay staff salary', 'Hire new staff'])).toEqual(['Pay staff salary']);
  });

  it('gives every close match when two fit about equally, and the one whose whole name was said', () => {
    expect(find('GST', ['File GST returns', 'Pay GST penalty', 'Call CA'])).toEqual([
      'File GST returns',
      'Pay GST penalty',
    ]);
    expect(find('Sharma ji', ['Sharma ji ko call karna', 'Sharma ji ko bill bhejna'])).toHaveLength(2);
    expect(find('pay GST penalty', ['Pay GST penalty', 'Pay GST penalty and interest'])).toEqual([
      'Pay GST penalty',
    ]);
  });

  it('finds nothing when what was said does not fit: another person, or another action on them', () => {
    expect(find('Ramesh ko call', ['Pay Ramesh', 'Call Suresh'])).toEqual([]);
    expect(find('deposited the cheques', ['Collect cheque from Malhotra'])).toEqual([]);
    expect(find('the', ['The GST one'])).toEqual([]);
  });

  it('lets an action said pass when the name has none of its own', () => {
    expect(find('quotation bhej', ['Kapoor quotation'])).toEqual(['Kapoor quotation']);
  });

  it('gives the first pass patterns that every match meets', () => {
    const patterns = namePatterns('godown ka kiraya').map((p) => p.replaceAll('%', ''));
    expect(patterns).toEqual(expect.arrayContaining(['godo', 'kira', 'rent', 'ware']));
    expect(namePatterns('the ka ko')).toEqual([]);
  });
});

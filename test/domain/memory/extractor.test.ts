import { describe, expect, it } from 'vitest';
import {
  analyseStatement,
  extractMemories,
  shapeKey,
  subjectKey,
} from '../../../src/domain/memory/extractor-offline.ts';

const brief = (message: string) =>
  extractMemories(message).map((c) => ({
    content: c.content,
    kind: c.kind,
    subject: c.subject,
    attribute: c.attribute,
    value: c.value,
  }));

describe('offline memory extractor', () => {
  it('English: contacts, patterns, preferences and explicit "remember"', () => {
    expect(brief("Ramesh's number is 98450 12345.")).toEqual([
      {
        content: "Ramesh's number is 98450 12345",
        kind: 'contact',
        subject: 'Ramesh',
        attribute: 'phone',
        value: '+919845012345',
      },
    ]);
    expect(brief('ABC Traders always pays late')).toEqual([
      {
        content: 'ABC Traders always pays late',
        kind: 'pattern',
        subject: 'ABC Traders',
        attribute: null,
        value: null,
      },
    ]);
    expect(brief('I prefer reminders at 9am')).toEqual([
      {
        content: 'I prefer reminders at 9am',
        kind: 'preference',
        subject: null,
        attribute: 'pref:reminder',
        value: null,
      },
    ]);
    expect(brief('please remember that the shop is closed on Tuesdays')).toEqual([
      {
        content: 'the shop is closed on Tuesdays',
        kind: 'fact',
        subject: null,
        attribute: null,
        value: null,
      },
    ]);
    expect(brief("Suresh's email is Suresh@Example.in")[0]).toMatchObject({
      kind: 'contact',
      attribute: 'email',
      value: 'suresh@example.in',
    });
  });

  it('reads where a shop is as an address, not a thing it has ("X\'s shop licence")', () => {
    expect(analyseStatement("Naik sahab's office is near the station")).toMatchObject({
      kind: 'contact',
      subject: 'Naik sahab',
      attribute: 'address',
    });
    expect(analyseStatement("Renew Deshpande sir's shop licence on Friday at 4pm").kind).toBe('fact');
  });

  it('Hinglish: "ka number … hai", "yaad rakhna", "hamesha"', () => {
    expect(brief('Sharma ji ka number 98111 22233 hai')).toEqual([
      {
        content: 'Sharma ji ka number 98111 22233 hai',
        kind: 'contact',
        subject: 'Sharma ji',
        attribute: 'phone',
        value: '+919811122233',
      },
    ]);
    expect(brief('yaad rakhna ki Gupta ji hamesha cash mein dete hain')).toEqual([
      {
        content: 'Gupta ji hamesha cash mein dete hain',
        kind: 'pattern',
        subject: 'Gupta ji',
        attribute: null,
        value: null,
      },
    ]);
    expect(brief('GST ka kaam Mehta ji karte hain, yaad rakhna')).toMatchObject([
      { content: 'GST ka kaam Mehta ji karte hain' },
    ]);
    expect(brief('Ramesh ka naya number 98450 99999 hai')[0]).toMatchObject({
      subject: 'Ramesh',
      attribute: 'phone',
      value: '+919845099999',
    });
  });

  it('takes a note given with a cue, at either end, without the cue and a "that"/"ki" after it', () => {
    const content = (message: string) => brief(message).map((c) => c.content);
    const notes: [string, string][] = [
      ['for future: Mrs Bedi wants her invoices in Hindi', 'Mrs Bedi wants her invoices in Hindi'],
      ['FYI for later - Lobo bhai pays on the 5th', 'Lobo bhai pays on the 5th'],
      ['keep in mind: that Bhalla ji takes delivery after 7 pm', 'Bhalla ji takes delivery after 7 pm'],
      [
        'Joseph uncle gives cheques only on Fridays (for future reference)',
        'Joseph uncle gives cheques only on Fridays',
      ],
      [
        'Sethi madam ka godown Sunday ko band rehta hai, keep in mind',
        'Sethi madam ka godown Sunday ko band rehta hai',
      ],
      ['yaad rkhna Grewal sahab udhaar nahi lete', 'Grewal sahab udhaar nahi lete'],
      ['ek baat yaad rakhiyo, Rathi ji ko sirf GST bill chahiye', 'Rathi ji ko sirf GST bill chahiye'],
      ['note Rekha didi ka naya number 98765 11223 hai', 'Rekha didi ka naya number 98765 11223 hai'],
    ];
    for (const [message, kept] of notes) {
      expect(content(message), message).toEqual([kept]);
    }
    // a bare "note" that opens no detail is a thing to do
    expect(brief('note down the stock count')).toEqual([]);
  });

  it('several statements in one message, without the words joining them', () => {
    expect(
      brief("ABC Traders always pays late. Also Ramesh's number is now 98450 99999").map((c) => c.content),
    ).toEqual(['ABC Traders always pays late', "Ramesh's number is now 98450 99999"]);
  });

  it('keeps nothing from questions, requests, reminders, forgetting or chatter', () => {
    for (const message of [
      "what is Ramesh's number?",
      'Ramesh ka number kya hai',
      'remind me to call Ramesh tomorrow at 5pm',
      'remember to call Ramesh tomorrow',
      "forget Ramesh's number",
      'Ramesh ka number bhool jao',
      'show my tasks',
      'hello',
      'thanks!',
    ]) {
      expect(brief(message), message).toEqual([]);
    }
  });

  it('compares subjects without honorifics, and shapes without numbers', () => {
    expect(subjectKey('Sharma ji')).toBe(subjectKey('sharma'));
    expect(subjectKey('Mr. Ramesh')).toBe('ramesh');
    expect(shapeKey('Rent is ₹45,000 a month')).toBe(shapeKey('Rent is ₹48,000 a month'));
    expect(shapeKey('Rent is ₹45,000 a month')).not.toBe(shapeKey('Rent is ₹45,000 a year'));
  });
});

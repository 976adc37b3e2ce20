import { type FakeCompany, standardGroups, standardVoucherTypes } from './tally.ts';

/**
 * A small trader's books in Tally: two customers (one under a sub-group of Sundry Debtors), a supplier,
 * GST sales with bill-wise references, a purchase, a receipt and a payment against bills, a credit note,
 * a cancelled and an optional voucher, a journal, and a sale with no bill-wise details.
 */
export function traderBooks(): FakeCompany {
  return {
    name: 'Sharma & Sons Traders',
    groups: standardGroups(),
    voucherTypes: standardVoucherTypes(),
    ledgers: [
      {
        guid: 'l-1',
        alterId: 1,
        name: 'Mehta Traders',
        parent: 'Sundry Debtors',
        gstin: '23AAACM1234A1Z5',
        state: 'Madhya Pradesh',
        phone: '+919812345678',
        closing: '-6800.00',
      },
      { guid: 'l-2', alterId: 2, name: 'Gupta Kirana', parent: 'Indore Debtors', closing: '-5310.00' },
      { guid: 'l-3', alterId: 3, name: 'Raj Suppliers', parent: 'Sundry Creditors', pan: 'AAKPR1234C' },
      { guid: 'l-4', alterId: 4, name: 'HDFC Bank', parent: 'Bank Accounts' },
      { guid: 'l-5', alterId: 5, name: 'Cash', parent: 'Cash-in-Hand' },
      { guid: 'l-6', alterId: 6, name: 'Sales GST 18%', parent: 'Sales Accounts' },
      { guid: 'l-7', alterId: 7, name: 'CGST', parent: 'Duties & Taxes' },
      { guid: 'l-8', alterId: 8, name: 'SGST', parent: 'Duties & Taxes' },
    ],
    vouchers: [
      {
        guid: 'v-s1',
        alterId: 10,
        date: '20261101',
        type: 'GST Sales',
        number: 'S-1',
        party: 'Mehta Traders',
        narration: '10 bags basmati',
        inventory: [{ item: 'Basmati Rice 25kg', qty: '10 Bag', rate: '1000.00/Bag', amount: '10000.00' }],
        entries: [
          {
            ledger: 'Mehta Traders',
            amount: '-11800.00',
            bills: [{ name: 'S-1', type: 'New Ref', amount: '-11800.00', days: 30 }],
          },
          { ledger: 'Sales GST 18%', amount: '10000.00' },
          { ledger: 'CGST', amount: '900.00' },
          { ledger: 'SGST', amount: '900.00' },
        ],
      },
      {
        guid: 'v-s2',
        alterId: 11,
        date: '20261105',
        type: 'Sales',
        number: 'S-2',
        party: 'Gupta Kirana',
        entries: [
          {
            ledger: 'Gupta Kirana',
            amount: '-5900.00',
            bills: [{ name: 'S-2', type: 'New Ref', amount: '-5900.00' }],
          },
          { ledger: 'Sales GST 18%', amount: '5000.00' },
          { ledger: 'CGST', amount: '450.00' },
          { ledger: 'SGST', amount: '450.00' },
        ],
      },
      {
        guid: 'v-p1',
        alterId: 12,
        date: '20261102',
        type: 'Purchase',
        number: 'P-1',
        party: 'Raj Suppliers',
        entries: [
          {
            ledger: 'Raj Suppliers',
            amount: '23600.00',
            bills: [{ name: 'P-1', type: 'New Ref', amount: '23600.00' }],
          },
          { ledger: 'Purchase', amount: '-20000.00' },
          { ledger: 'CGST', amount: '-1800.00' },
          { ledger: 'SGST', amount: '-1800.00' },
        ],
      },
      {
        guid: 'v-r1',
        alterId: 13,
        date: '20261110',
        type: 'Receipt',
        number: 'R-1',
        party: 'Mehta Traders',
        entries: [
          {
            ledger: 'Mehta Traders',
            amount: '5000.00',
            bills: [{ name: 'S-1', type: 'Agst Ref', amount: '5000.00' }],
          },
          { ledger: 'HDFC Bank', amount: '-5000.00' },
        ],
      },
      {
        guid: 'v-py1',
        alterId: 14,
        date: '20261112',
        type: 'Payment',
        number: 'PY-1',
        party: 'Raj Suppliers',
        entries: [
          {
            ledger: 'Raj Suppliers',
            amount: '-23600.00',
            bills: [{ name: 'P-1', type: 'Agst Ref', amount: '-23600.00' }],
          },
          { ledger: 'Cash', amount: '23600.00' },
        ],
      },
      {
        guid: 'v-s3',
        alterId: 15,
        date: '20261113',
        type: 'Sales',
        number: 'S-3',
        party: 'Mehta Traders',
        cancelled: true,
        entries: [
          { ledger: 'Mehta Traders', amount: '-1000.00' },
          { ledger: 'Sales GST 18%', amount: '1000.00' },
        ],
      },
      {
        guid: 'v-s4',
        alterId: 16,
        date: '20261114',
        type: 'Sales',
        number: 'S-4',
        party: 'Gupta Kirana',
        optional: true,
        entries: [
          { ledger: 'Gupta Kirana', amount: '-2000.00' },
          { ledger: 'Sales GST 18%', amount: '2000.00' },
        ],
      },
      {
        guid: 'v-j1',
        alterId: 17,
        date: '20261115',
        type: 'Journal',
        number: 'J-1',
        entries: [
          { ledger: 'Cash', amount: '-100.00' },
          { ledger: 'HDFC Bank', amount: '100.00' },
        ],
      },
      {
        guid: 'v-cn1',
        alterId: 18,
        date: '20261116',
        type: 'Credit Note',
        number: 'CN-1',
        party: 'Gupta Kirana',
        entries: [
          {
            ledger: 'Gupta Kirana',
            amount: '590.00',
            bills: [{ name: 'S-2', type: 'Agst Ref', amount: '590.00' }],
          },
          { ledger: 'Sales GST 18%', amount: '-500.00' },
          { ledger: 'CGST', amount: '-45.00' },
          { ledger: 'SGST', amount: '-45.00' },
        ],
      },
      {
        guid: 'v-s5',
        alterId: 19,
        date: '20261120',
        type: 'Sales',
        number: 'S-5',
        party: 'Mehta Traders',
        entries: [
          { ledger: 'Mehta Traders', amount: '-1180.00' },
          { ledger: 'Sales GST 18%', amount: '1180.00' },
        ],
      },
    ],
    bills: [
      { party: 'Mehta Traders', name: 'S-1', closing: '-6800.00' },
      { party: 'Gupta Kirana', name: 'S-2', closing: '-5310.00' },
    ],
  };
}

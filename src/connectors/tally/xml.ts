import { SaxesParser } from 'saxes';

/**
 * Tally's wire format: XML envelopes over HTTP POST to its port. A request is an export of a collection
 * (companies, groups, ledgers, voucher types, vouchers, bills) described inline in TDL, with static
 * variables naming the company and the period; the answer is an ENVELOPE whose objects may sit at any
 * depth. Tally answers in UTF-8 or UTF-16 (by its settings) and writes character references XML forbids
 * (`&#4;` before a primary group's name), so an answer is decoded and cleaned before it is parsed.
 */

const xmlText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface CollectionRequest {
  /** The object type: Company, Group, Ledger, VoucherType, Voucher, Bill. */
  type: string;
  /** The fields each object carries (Tally's names; `X.*` for a list with all its fields). */
  fetch: string[];
  /** The company to read (absent: the one Tally has current, for the company list itself). */
  company?: string;
  /** A TDL formula each object must satisfy. */
  filter?: string;
}

/** A collection export envelope. Vouchers are read over every date, not only the current period. */
export function collectionEnvelope(r: CollectionRequest): string {
  const vars = [
    '<SVEXPORTFORMAT>$$SysName:XML</SVEXPORTFORMAT>',
    ...(r.company ? [`<SVCURRENTCOMPANY>${xmlText(r.company)}</SVCURRENTCOMPANY>`] : []),
    ...(r.type === 'Voucher' ? ['<SVFROMDATE>19000101</SVFROMDATE>', '<SVTODATE>20991231</SVTODATE>'] : []),
  ].join('');
  const filter = r.filter
    ? `<FILTER>AxonFilter</FILTER></COLLECTION><SYSTEM TYPE="Formulae" NAME="AxonFilter">${xmlText(r.filter)}</SYSTEM>`
    : '</COLLECTION>';
  return (
    '<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Export</TALLYREQUEST><TYPE>Collection</TYPE>' +
    `<ID>AxonBOS${r.type}</ID></HEADER><BODY><DESC><STATICVARIABLES>${vars}</STATICVARIABLES>` +
    `<TDL><TDLMESSAGE><COLLECTION NAME="AxonBOS${r.type}" ISMODIFY="No"><TYPE>${r.type}</TYPE>` +
    `<FETCH>${r.fetch.join(', ')}</FETCH>${filter}</TDLMESSAGE></TDL></DESC></BODY></ENVELOPE>`
  );
}

/** UTF-16 by its byte-order mark, or by the zero bytes of ASCII markup written in it; UTF-8 otherwise. */
export function decodeAnswer(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  }
  if (bytes.length >= 2 && bytes[0] === 0x3c && bytes[1] === 0x00) return bytes.toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0x00 && bytes[1] === 0x3c) {
    return Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)))
      .swap16()
      .toString('utf16le');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Control characters, raw or as references, that XML 1.0 forbids and Tally writes anyway. */
const ILLEGAL_REFERENCE = /&#(?:x0*([0-9a-f]{1,2})|0*([0-9]{1,2}));/gi;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove
const ILLEGAL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export function cleanAnswer(text: string): string {
  return text
    .replace(ILLEGAL_REFERENCE, (ref, hex: string | undefined, dec: string | undefined) => {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d ? '' : ref;
    })
    .replace(ILLEGAL_CHARACTER, '');
}

/** Every element that may repeat is a list, whether Tally sent one of it or many. */
const LISTS = new Set(['COMPANY', 'GROUP', 'LEDGER', 'VOUCHERTYPE', 'VOUCHER', 'BILL', 'LINEERROR']);
const isList = (name: string) => LISTS.has(name) || name.endsWith('.LIST');

export type XmlNode = Record<string, unknown>;

interface Open {
  name: string;
  node: XmlNode;
  text: string;
  /** Whether it has child elements or attributes: then it is an object, else its text. */
  nested: boolean;
}

/**
 * An answer as plain objects, built while a streaming parser reads it: an element with neither attributes
 * nor children is its trimmed text; otherwise an object with `@NAME` attributes, children by tag and any text
 * as `#text`. A tag seen twice, or one of the LISTS, becomes an array. A window of 1,000 vouchers parses in a
 * quarter of the time a document-tree parser takes, with far less garbage.
 */
export function parseAnswer(bytes: Buffer): XmlNode {
  const root: Open = { name: '', node: {}, text: '', nested: true };
  const stack: Open[] = [root];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const node: XmlNode = {};
    let nested = false;
    for (const [name, value] of Object.entries(tag.attributes)) {
      node[`@${name}`] = value;
      nested = true;
    }
    stack.push({ name: tag.name, node, text: '', nested });
  });
  const addText = (text: string) => {
    const open = stack.at(-1);
    if (open) open.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const done = stack.pop();
    const parent = stack.at(-1);
    if (!done || !parent) return;
    parent.nested = true;
    const text = done.text.trim();
    if (done.nested && text) done.node['#text'] = text;
    const value = done.nested ? done.node : text;
    const siblings = parent.node[done.name];
    if (siblings === undefined) parent.node[done.name] = isList(done.name) ? [value] : value;
    else if (Array.isArray(siblings)) siblings.push(value);
    else parent.node[done.name] = [siblings, value];
  });
  try {
    parser.write(cleanAnswer(decodeAnswer(bytes))).close();
  } catch (err) {
    throw new TallyAnswerError(err instanceof Error ? err.message : String(err));
  }
  return root.node;
}

/** An answer that is not well-formed XML even after cleaning: cut short, or not from Tally. */
export class TallyAnswerError extends Error {
  constructor(reason: string) {
    super(`Tally's answer could not be read (${reason})`);
  }
}

/** Every element named `tag`, at any depth (Tally nests them differently by version and report). */
export function findAll(node: unknown, tag: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) {
      for (const item of n) walk(item);
      return;
    }
    if (n === null || typeof n !== 'object') return;
    for (const [key, value] of Object.entries(n)) {
      if (key === tag) {
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item && typeof item === 'object') out.push(item as XmlNode);
        }
      } else if (!key.startsWith('@')) {
        walk(value);
      }
    }
  };
  walk(node);
  return out;
}

/** An element's text, whether it came bare or with attributes (`<DATE TYPE="Date">20240401</DATE>`). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as XmlNode)['#text']);
  return undefined;
}

/** A field of an object by Tally's name; an element or an attribute of that name. */
export function field(node: XmlNode, name: string): string | undefined {
  return textOf(node[name]) ?? textOf(node[`@${name}`]);
}

export function listOf(node: XmlNode, name: string): XmlNode[] {
  const v = node[name];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is XmlNode => x !== null && typeof x === 'object');
}

/** What Tally said went wrong (`LINEERROR`s), when it answered with errors instead of data. */
export function answerErrors(answer: unknown): string[] {
  const errors: string[] = [];
  const walk = (n: unknown, key?: string) => {
    if (Array.isArray(n)) for (const item of n) walk(item, key);
    else if (key === 'LINEERROR') {
      const text = textOf(n);
      if (text) errors.push(text);
    } else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) if (!k.startsWith('@')) walk(v, k);
    }
  };
  walk(answer);
  return errors;
}

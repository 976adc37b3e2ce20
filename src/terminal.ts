/** What the `axon` commands share about writing to a person: numbers as India writes them, and whether a
 * stream is a terminal (a bar and hidden input there; plain lines for logs and pipes). */

export const count = (n: number) => new Intl.NumberFormat('en-IN').format(n);

export const isTerminal = (stream: NodeJS.ReadableStream | NodeJS.WritableStream) =>
  (stream as { isTTY?: boolean }).isTTY === true;

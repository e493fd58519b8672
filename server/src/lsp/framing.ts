// Guards the stdio transport's framing. vscode-jsonrpc reads `Content-Length: N\r\n\r\n` + N bytes;
// one stray byte before a header (or a header without a length) makes it stop reading for good
// while the process lives on, so the editor waits forever. This stream sits in front of it and
// passes on only well-formed frames, each with a clean header of its own: on bytes that do not
// start a header it skips to the next `Content-Length:` and reports what it dropped. A frame whose body is not JSON is passed on, and
// the JSON-RPC layer answers it with a parse error as the protocol says.
import { Transform, type TransformCallback } from 'node:stream';

const HEADER = Buffer.from('Content-Length:', 'latin1');
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
/** A header block longer than this is garbage, not a header. */
const MAX_HEADER = 4096;
/**
 * The largest body passed on: bigger ones are skipped as they stream in. A didOpen of a document
 * past the parser's limit (analysed nowhere) is still far smaller; JSON.parse cannot take a string
 * much past 512 MB anyway.
 */
export const MAX_BODY = 256 * 2 ** 20;

export class FrameGuard extends Transform {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of an oversized body still to skip. */
  private skipping = 0;

  constructor(private readonly report: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, chunk.length);
      this.skipping -= n;
      chunk = chunk.subarray(n);
    }
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    this.drain();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.reportDropped();
    done();
  }

  private drain(): void {
    for (;;) {
      if (this.skipping > 0 || this.buffered === 0) return;
      // Headers are short: look at the first few KB only.
      const head = this.peek(Math.min(this.buffered, MAX_HEADER + HEADER_END.length));
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        if (head.length > MAX_HEADER || !couldStartHeader(head)) this.resync(head, 'bytes that are not a message header');
        return;
      }
      const length = contentLength(head.subarray(0, end).toString('latin1'));
      if (length === undefined) {
        this.resync(head, 'a message header without a valid Content-Length', end + HEADER_END.length);
        continue;
      }
      const frame = end + HEADER_END.length + length;
      if (length > MAX_BODY) {
        this.consume(end + HEADER_END.length);
        const have = Math.min(length, this.buffered);
        this.consume(have);
        this.skipping = length - have;
        this.report(`skipped a message of ${length} bytes (more than ${MAX_BODY})`);
        continue;
      }
      if (this.buffered < frame) return;
      this.reportDropped();
      // Passed on with a header of our own: the reader behind takes nothing but a clean one.
      this.consume(end + HEADER_END.length);
      this.push(Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'latin1'), this.consume(length)]));
    }
  }

  /** Bytes dropped since the last frame, and why the first of them were: one report per run of garbage. */
  private dropped = 0;
  private droppedWhy = '';

  /**
   * Drops bytes up to the next `Content-Length:` after the first byte; else the bad header block
   * (`blockEnd`), else all but what may be the start of a header still arriving.
   */
  private resync(head: Buffer, what: string, blockEnd?: number): void {
    const next = head.indexOf(HEADER, 1);
    const drop = next > 0 ? next : (blockEnd ?? Math.max(1, head.length - partialHeaderAtEnd(head)));
    this.consume(drop);
    if (this.dropped === 0) this.droppedWhy = what;
    this.dropped += drop;
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.report(`dropped ${this.dropped} byte${this.dropped === 1 ? '' : 's'} of input: ${this.droppedWhy}`);
    this.dropped = 0;
  }

  /** The first n buffered bytes, joining only as many chunks as that takes (a large body arrives in many). */
  private peek(n: number): Buffer {
    let k = 0;
    let have = 0;
    while (have < n) have += this.chunks[k++].length;
    if (k > 1) this.chunks.splice(0, k, Buffer.concat(this.chunks.slice(0, k), have));
    return this.chunks[0].subarray(0, n);
  }

  private consume(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return Buffer.from(out);
  }
}

/** How many bytes at the end of `head` may begin a `Content-Length:` still arriving. */
function partialHeaderAtEnd(head: Buffer): number {
  const tail = head.subarray(Math.max(0, head.length - HEADER.length + 1)).toString('latin1').toLowerCase();
  const header = HEADER.toString('latin1').toLowerCase();
  for (let n = tail.length; n > 0; n--) if (header.startsWith(tail.slice(tail.length - n))) return n;
  return 0;
}

/** Whether the bytes may still become a header: a prefix of `Content-Length:`, or a header line being written. */
function couldStartHeader(head: Buffer): boolean {
  const n = Math.min(head.length, HEADER.length);
  return head.subarray(0, n).toString('latin1').toLowerCase() === HEADER.subarray(0, n).toString('latin1').toLowerCase() || /^[\x21-\x7e]+:/.test(head.toString('latin1'));
}

/** The Content-Length of a header block (lines `Name: value`), or undefined when it is not one. */
function contentLength(block: string): number | undefined {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const v = line.slice(colon + 1).trim();
    if (!/^\d{1,12}$/.test(v)) return undefined;
    length = Number(v);
  }
  return length;
}

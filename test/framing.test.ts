// The stdio guard (server/src/lsp/framing.ts): whatever bytes arrive, what it passes on is a
// sequence of clean `Content-Length` frames, and it says what it dropped.
import { describe, expect, it } from 'vitest';
import { FrameGuard, MAX_BODY } from '../server/src/lsp/framing';

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Feeds the chunks in order; returns the bodies passed on (each checked to have a clean header) and the reports. */
async function run(chunks: (string | Buffer)[]): Promise<{ bodies: string[]; reports: string[] }> {
  const reports: string[] = [];
  const guard = new FrameGuard((m) => reports.push(m));
  const out: Buffer[] = [];
  guard.on('data', (b: Buffer) => out.push(b));
  for (const c of chunks) guard.write(typeof c === 'string' ? Buffer.from(c) : c);
  guard.end();
  await new Promise((resolve) => guard.on('end', resolve));
  const bodies: string[] = [];
  let rest = Buffer.concat(out).toString('utf8');
  while (rest.length > 0) {
    const m = /^Content-Length: (\d+)\r\n\r\n/.exec(rest);
    expect(m, `a clean header at ${JSON.stringify(rest.slice(0, 40))}`).not.toBeNull();
    const start = m![0].length;
    const body = Buffer.from(rest.slice(start)).subarray(0, Number(m![1])).toString('utf8');
    bodies.push(body);
    rest = rest.slice(start + body.length);
  }
  return { bodies, reports };
}

describe('FrameGuard', () => {
  it('passes well-formed frames through, even split byte by byte, with multi-byte bodies', async () => {
    const text = frame('{"a":"日本😀"}') + frame('{"b":2}');
    const bytes = Buffer.from(text);
    const { bodies, reports } = await run(Array.from(bytes, (b) => Buffer.from([b])));
    expect(bodies).toEqual(['{"a":"日本😀"}', '{"b":2}']);
    expect(reports).toEqual([]);
  });

  it('drops a stray byte, a stray line break and a header without a length, and keeps the frames after them', async () => {
    // Each string is one chunk, as a pipe may deliver them.
    const { bodies, reports } = await run(['X', frame('{"n":1}'), '\r\n', frame('{"n":2}'), 'Content-Type: text/plain\r\n\r\n', frame('{"n":3}')]);
    expect(bodies).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(reports).toEqual([
      'dropped 1 byte of input: bytes that are not a message header',
      'dropped 2 bytes of input: bytes that are not a message header',
      'dropped 28 bytes of input: a message header without a valid Content-Length',
    ]);
  });

  it('passes on a body that is not JSON: the JSON-RPC layer answers it with a parse error', async () => {
    const { bodies } = await run([frame('{{{{{'), frame('{"ok":true}')]);
    expect(bodies).toEqual(['{{{{{', '{"ok":true}']);
  });

  it('skips a body larger than MAX_BODY without buffering it, and reads on', async () => {
    const big = MAX_BODY + 10;
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const chunks: (string | Buffer)[] = [`Content-Length: ${big}\r\n\r\n`];
    for (let left = big; left > 0; left -= chunk.length) chunks.push(left >= chunk.length ? chunk : chunk.subarray(0, left));
    chunks.push(frame('{"after":1}'));
    const { bodies, reports } = await run(chunks);
    expect(bodies).toEqual(['{"after":1}']);
    expect(reports).toEqual([`skipped a message of ${big} bytes (more than ${MAX_BODY})`]);
  });
});

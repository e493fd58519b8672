// How predict and profile end on an error: one line on stderr, exit code 2 (design.md §3.2).
import { describe, expect, it } from 'vitest';
import { commandFailed } from '../server/src/cli/command-error';
import { UsageError } from '../server/src/node/files';

function failed(e: unknown): { code: number; err: string[] } {
  const err: string[] = [];
  const code = commandFailed('profile', e, (s) => err.push(s));
  return { code, err };
}

describe('commandFailed', () => {
  it('prints the first line of a usage error as it is', () => {
    expect(failed(new UsageError('usage: mapscope profile FILE\n  --go VERSION'))).toEqual({ code: 2, err: ['mapscope profile: usage: mapscope profile FILE\n'] });
  });

  it('calls anything else an internal error, still on one line', () => {
    expect(failed(new RangeError('Maximum call stack size exceeded\n    at f (x.ts:1:1)'))).toEqual({ code: 2, err: ['mapscope profile: internal error: Maximum call stack size exceeded\n'] });
    expect(failed('a string')).toEqual({ code: 2, err: ['mapscope profile: internal error: a string\n'] });
  });
});

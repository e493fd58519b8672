// Reading pprof files: the committed real profiles decode, and anything else is refused with one
// line saying why (not a profile, cut short, a profile of another kind).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeProfile, ProfileError } from '../../server/src/core/profile/decode';
import { implOfFrame, isGrowthFrame, mapOpOf } from '../../server/src/core/profile/frames';
import { readProfileFile } from '../../server/src/node/profile-sources';
import { removeDir, tempDir } from '../helpers/cli';
import { DATA, PROGRAM } from './expect';

const dir = tempDir('mapscope-profile-');
afterAll(() => removeDir(dir));

function refused(bytes: Uint8Array | string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    readProfileFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`${name} was read as a profile`);
}

describe('heap and CPU profiles written by Go', () => {
  for (const go of ['1.19', '1.26']) {
    it(`heap, Go ${go}: four sample types, every allocation recorded, a size on every sample`, () => {
      const p = readProfileFile(join(DATA, `heap-go${go}.pb.gz`));
      expect(p.kind).toBe('heap');
      expect(p.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes']);
      expect(p.period).toBe(1);
      const sized = p.samples.filter((s) => s.blockSize !== undefined);
      expect(sized.length).toBeGreaterThan(p.samples.length / 2);
      // With every allocation recorded, a sample's bytes are its objects times its size.
      for (const s of sized) if (s.values[0] > 0) expect(s.values[1]).toBe(s.values[0] * s.blockSize!);
      // Heap samples start at the user's frame: the runtime's are trimmed (docs/profiles.md).
      const atUser = p.samples.filter((s) => s.frames[0]?.fn.startsWith('main.build'));
      expect(atUser.length).toBeGreaterThan(10);
      expect(p.samples.every((s) => !s.frames.some((f) => mapOpOf(f.fn) !== undefined))).toBe(true);
    });

    it(`CPU, Go ${go}: the runtime's map frames are kept`, () => {
      const p = readProfileFile(join(DATA, `cpu-go${go}.pb.gz`));
      expect(p.kind).toBe('cpu');
      expect(p.period).toBe(10_000_000);
      expect(p.durationNanos).toBeGreaterThan(500_000_000);
      const fns = new Set(p.samples.flatMap((s) => s.frames.map((f) => f.fn)));
      expect([...fns].some((f) => mapOpOf(f) === 'assign')).toBe(true);
      expect([...fns].some(isGrowthFrame)).toBe(true);
      expect(new Set([...fns].map(implOfFrame).filter(Boolean))).toEqual(new Set([go === '1.19' ? 'classic' : 'swiss']));
    });
  }

  it('decodes an uncompressed profile too', () => {
    const raw = gunzipSync(readFileSync(join(DATA, 'heap-go1.26.pb.gz')));
    expect(decodeProfile(raw).samples.length).toBe(readProfileFile(join(DATA, 'heap-go1.26.pb.gz')).samples.length);
  });
});

describe('bad input gets one line', () => {
  const heap = readFileSync(join(DATA, 'heap-go1.26.pb.gz'));
  const raw = gunzipSync(heap);

  it('a Go source file', () => {
    expect(refused(readFileSync(join(PROGRAM, 'main.go')), 'main.go')).toMatch(/^not a pprof profile/);
  });
  it('an empty file', () => {
    expect(refused('', 'empty.pb.gz')).toMatch(/not a pprof profile|no samples/);
  });
  it('a gzip stream cut short', () => {
    expect(refused(heap.subarray(0, heap.length >> 1), 'cut.pb.gz')).toBe('truncated: the gzip stream ends early');
  });
  it('a protobuf cut short (then gzipped whole)', () => {
    // Cut inside the samples: the locations and functions they name are gone.
    expect(refused(gzipSync(raw.subarray(0, raw.length >> 2)), 'cut-raw.pb.gz')).toMatch(/^(damaged or truncated profile|not a pprof profile|the profile has no samples)/);
  });
  it('a goroutine profile', () => {
    expect(refused(readFileSync(join(DATA, 'goroutine-go1.26.pb.gz')), 'goroutine.pb.gz')).toBe('a goroutine profile, not a Go heap or CPU profile');
  });
  it('a directory and a missing file', () => {
    expect(() => readProfileFile(dir)).toThrow('a directory, not a profile');
    expect(() => readProfileFile(join(dir, 'nothing.pb.gz'))).toThrow('no such file');
  });
});

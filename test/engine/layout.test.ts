import { describe, expect, it } from 'vitest';
import {
  charge, GoTypeSyntaxError, MAX_TYPE_DEPTH, layoutOf, mapShape, parseGoType, resolveGoTarget, roundupsize, sizeClass,
  type TypeResolver,
} from '../../server/src/core/engine/index';

const L = (s: string, r?: TypeResolver) => layoutOf(parseGoType(s), r);
const size = (s: string, r?: TypeResolver) => L(s, r).size;

describe('Go type layout (64-bit)', () => {
  it('basic, string, slice, interface, pointer-shaped types', () => {
    expect(L('int')).toMatchObject({ size: 8, align: 8, pointers: false });
    expect(L('byte')).toMatchObject({ size: 1, align: 1, pointers: false });
    expect(L('complex64')).toMatchObject({ size: 8, align: 4 });
    expect(L('string')).toMatchObject({ size: 16, align: 8, pointers: true });
    expect(L('[]int')).toMatchObject({ size: 24, align: 8, pointers: true });
    expect(L('interface{}')).toMatchObject({ size: 16, pointers: true });
    expect(L('any')).toMatchObject({ size: 16, pointers: true });
    expect(L('error')).toMatchObject({ size: 16, pointers: true });
    for (const t of ['*int', 'map[string]int', 'chan int', '<-chan int', 'chan<- int', 'func()', 'func(int) (string, error)', 'unsafe.Pointer']) {
      expect(L(t), t).toMatchObject({ size: 8, align: 8, pointers: true });
    }
  });

  it('arrays multiply and keep the element alignment; empty arrays have no pointers', () => {
    expect(L('[16]byte')).toMatchObject({ size: 16, align: 1, pointers: false });
    expect(L('[200]byte')).toMatchObject({ size: 200, align: 1 });
    expect(L('[3]string')).toMatchObject({ size: 48, align: 8, pointers: true });
    expect(L('[0]*int')).toMatchObject({ size: 0, pointers: false });
    expect(L('[0x10]int32').size).toBe(64);
  });

  it('struct fields are aligned and the struct is rounded to its alignment', () => {
    expect(size('struct{a, b int64}')).toBe(16);
    expect(L('struct{a int8; b int64; c int8}')).toMatchObject({ size: 24, align: 8 });
    expect(L('struct{a int8; c int8; b int64}')).toMatchObject({ size: 16, align: 8 });
    expect(L('struct{a int32; b int16}')).toMatchObject({ size: 8, align: 4 });
    expect(L('struct{}')).toMatchObject({ size: 0, align: 1, pointers: false });
    expect(L('struct{s string; n int}')).toMatchObject({ size: 24, pointers: true });
  });

  it('a non-empty struct ending in a zero-size field gets padding (issue 9401)', () => {
    expect(size('struct{a int64; z struct{}}')).toBe(16);
    expect(size('struct{a int32; z [0]int64}')).toBe(16); // z sits at 8, +1, rounded to 8
    expect(size('struct{a byte; z struct{}}')).toBe(2);
    // Leading zero-size fields cost nothing.
    expect(size('struct{z struct{}; a int64}')).toBe(8);
    expect(size('struct{z struct{}}')).toBe(0);
  });

  it('named types resolve through the resolver, generics substitute their arguments', () => {
    const decls: Record<string, ReturnType<TypeResolver>> = {
      Point: parseGoType('struct{X, Y float64}'),
      ID: parseGoType('[12]byte'),
      Pair: { typeParams: ['K', 'V'], type: parseGoType('struct{k K; v V; n int8}') },
      Node: parseGoType('struct{next *Node; val int}'),
    };
    const r: TypeResolver = ({ pkg, name }) => (pkg ? undefined : decls[name]);
    expect(L('Point', r)).toMatchObject({ size: 16, align: 8, pointers: false });
    expect(L('[4]ID', r).size).toBe(48);
    expect(L('Pair[int8, int64]', r)).toMatchObject({ size: 24, align: 8, pointers: false });
    expect(L('Pair[string, bool]', r)).toMatchObject({ size: 24, pointers: true });
    expect(L('Node', r)).toMatchObject({ size: 16, pointers: true });
    expect(L('Point', r).assumptions).toBeUndefined();
  });

  it('standard-library types come from the table (checked with unsafe.Sizeof)', () => {
    expect(L('time.Time')).toMatchObject({ size: 24, align: 8, pointers: true });
    expect(L('time.Duration')).toMatchObject({ size: 8, pointers: false });
    expect(L('sync.Mutex')).toMatchObject({ size: 8, align: 4, pointers: false });
    expect(L('sync.RWMutex')).toMatchObject({ size: 24, align: 4 });
    expect(L('sync.WaitGroup')).toMatchObject({ size: 16, align: 8 });
    expect(L('big.Int')).toMatchObject({ size: 32, pointers: true });
    expect(L('strings.Builder').size).toBe(32);
    expect(L('bytes.Buffer').size).toBe(40);
    expect(L('net.IP').size).toBe(24);
    expect(L('reflect.Type').size).toBe(16);
    expect(L('context.Context').size).toBe(16);
    expect(L('struct{mu sync.Mutex; n int32}')).toMatchObject({ size: 12, align: 4 });
  });

  it('an unknown type is an explicit assumption, never a silent guess', () => {
    const l = L('struct{a int8; b foo.Bar}');
    expect(l.size).toBe(16);
    expect(l.assumptions).toEqual(['unknown type foo.Bar: assumed 8 bytes with pointers']);
    expect(L('Local').assumptions).toEqual(['unknown type Local: assumed 8 bytes with pointers']);
  });
});

describe('Go type syntax errors', () => {
  for (const bad of ['', '[', '[]', 'map[string', '[x]int', 'struct{a int', 'func', '*', 'int)', 'chan', '[-1]int', 'a.b.c', '<-int']) {
    it(`rejects ${JSON.stringify(bad)} with one line`, () => {
      let err: unknown;
      try { parseGoType(bad); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(GoTypeSyntaxError);
      expect((err as Error).message).toMatch(/^bad Go type ".*": .+ at offset \d+$/);
      expect((err as Error).message).not.toContain('\n');
    });
  }
  it('refuses a type nested past MAX_TYPE_DEPTH as a syntax error instead of overflowing the stack', () => {
    const deep = (n: number) => 'map[int]'.repeat(n) + 'int';
    expect(layoutOf(parseGoType(deep(MAX_TYPE_DEPTH - 1))).size).toBe(8);
    expect(() => parseGoType(deep(10_000))).toThrow(GoTypeSyntaxError);
    expect(() => parseGoType(deep(10_000))).toThrow(/nested more than 1000 levels deep/);
  });
  it('resolves named array lengths only through the constant callback', () => {
    expect(layoutOf(parseGoType('[N]int64', { constant: (n) => (n === 'N' ? 4 : undefined) })).size).toBe(32);
  });
});

describe('allocator (spec §1)', () => {
  const go119 = { mallocHeaders: false };
  const go122 = { mallocHeaders: true };
  it('rounds to size classes and pages', () => {
    expect(sizeClass(1)).toBe(8);
    expect(sizeClass(129)).toBe(144);
    expect(sizeClass(3201)).toBe(3456);
    expect(charge(40000, false, go122)).toBe(40960);
    expect(charge(32768, false, go119)).toBe(32768);
    expect(charge(32769, false, go119)).toBe(40960);
  });
  it('adds the 8-byte malloc header to pointerful objects over 512 bytes from Go 1.22', () => {
    expect(charge(3208, true, go122)).toBe(3456); // 16 string groups: 3200 + 8
    expect(charge(3200, true, go119)).toBe(3200);
    expect(charge(3200, false, go122)).toBe(3200);
    expect(charge(512, true, go122)).toBe(512);
    expect(charge(513, true, go122)).toBe(576);
    expect(roundupsize(3200, false, go122)).toBe(3448);
    expect(roundupsize(3200, true, go122)).toBe(3200);
  });
});

describe('bucket and group sizes (spec §2.1, §3.1 measured tables)', () => {
  const cases: [string, string, number, number][] = [
    // key, value, classic bucket, swiss group
    ['int64', 'int64', 144, 136],
    ['string', 'int', 208, 200],
    ['int64', 'int8', 88, 136],
    ['int8', 'int64', 88, 136],
    ['int32', 'int32', 80, 72],
    ['struct{}', 'struct{}', 16, 16],
    ['string', 'string', 272, 264],
    ['[128]byte', 'int', 1104, 1096],
    ['[129]byte', 'int', 144, 136],
    ['int64', 'struct{}', 80, 136],
    ['string', 'struct{}', 144, 200],
    ['int32', 'struct{}', 48, 72],
    ['struct{}', 'int64', 80, 72],
  ];
  for (const [k, v, bucket, group] of cases) {
    it(`map[${k}]${v}: bucket ${bucket}, group ${group}`, () => {
      const s = mapShape(L(k), L(v), resolveGoTarget('1.26'));
      expect(s.bucketSize).toBe(bucket);
      expect(s.groupSize).toBe(group);
    });
  }
  // GOEXPERIMENT=mapsplitgroup (1.27): struct{ctrl uint64; keys [8]K; elems [8]V} by Go's struct
  // layout; a zero-size elems array at the end costs one padding byte (issue 9401). [M] marks the
  // sizes the go1.27.3 mapsplitgroup recording shows as the first insert's charge.
  const split: [string, string, number][] = [
    ['int64', 'int64', 8 + 64 + 64],
    ['string', 'int', 8 + 128 + 64],
    ['int64', 'int8', 8 + 64 + 8], // [M] 80
    ['int8', 'int64', 8 + 8 + 64],
    ['int32', 'int32', 8 + 32 + 32],
    ['struct{}', 'struct{}', 16], // 8 + 1, rounded to 8
    ['int64', 'struct{}', 80], // [M] 8 + 64 + 1, rounded
    ['string', 'struct{}', 144], // [M] 8 + 128 + 1, rounded
    ['struct{}', 'int64', 8 + 64],
    ['[5]byte', 'int64', 8 + 40 + 64], // [M] 112
    ['[3]byte', 'int16', 8 + 24 + 16], // [M] 48
    ['[129]byte', 'int', 8 + 64 + 64], // indirect key: a pointer per slot
  ];
  for (const [k, v, group] of split) {
    it(`map[${k}]${v} with mapsplitgroup: group ${group}`, () => {
      expect(mapShape(L(k), L(v), resolveGoTarget('1.27', undefined, 'mapsplitgroup')).groupSize).toBe(group);
      expect(mapShape(L(k), L(v), resolveGoTarget('go1.27.3-X:mapsplitgroup')).groupSize).toBe(group);
    });
  }
  it('keys and values over 128 bytes are indirect and boxed per entry', () => {
    const s = mapShape(L('[129]byte'), L('[200]byte'), resolveGoTarget('1.26'));
    expect(s.indirectKey && s.indirectValue).toBe(true);
    expect(s.perEntryBytes).toBe(144 + 208);
    expect(mapShape(L('[128]byte'), L('int'), resolveGoTarget('1.26')).indirectKey).toBe(false);
  });
  it('picks the assign path the compiler picks', () => {
    const path = (k: string, v: string) => mapShape(L(k), L(v), resolveGoTarget('1.26')).assignPath;
    expect(path('int64', 'int')).toBe('fast');
    expect(path('int32', 'int')).toBe('fast');
    expect(path('string', 'int')).toBe('fast');
    expect(path('*int', 'int')).toBe('fastptr');
    expect(path('[16]byte', 'int')).toBe('slow');
    expect(path('float64', 'int')).toBe('slow');
    expect(path('any', 'int')).toBe('slow');
    expect(path('struct{a int8; b int32}', 'int')).toBe('slow'); // padded
    expect(path('struct{a, b int32}', 'int')).toBe('fast');
    expect(path('int', '[200]byte')).toBe('slow');
  });
});

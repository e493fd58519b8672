// The engine's bound on hints (engine/hint-bound.ts): what make allocates for a hint, checked
// against the runtime's measured allocations, and the refusal of hints past MAX_HINT before the
// simulators allocate for them. Hint expressions (core/constants.ts) are evaluated as Go would.
import { describe, expect, it } from 'vitest';
import { constantInt } from '../../server/src/core/constants';
import { hintPlan, mapShape, MAX_HINT, predict, PredictError, resolveGoTarget } from '../../server/src/core/engine/index';
import { layout, loadRecording } from './oracle-data';

const int = layout('int');

describe('make with a hint, in closed form', () => {
  for (const [file, go] of [['go1.19.json', '1.19'], ['go1.26.json', '1.26']] as const) {
    it(`allocates what ${file} measured for every recorded hint`, () => {
      const rec = loadRecording(file);
      const target = resolveGoTarget(go);
      const bad: string[] = [];
      for (const run of rec.hints) {
        const plan = hintPlan(mapShape(layout(run.key), layout(run.value), target), target, run.hint);
        if (!plan.honoured || plan.makeBytes !== run.make[0]) bad.push(`${run.type} hint ${run.hint}: ${plan.makeBytes} B, measured ${run.make[0]} B`);
      }
      expect(rec.hints.length).toBeGreaterThan(100);
      expect(bad).toEqual([]);
    });
  }
});

describe('hints no real process can allocate', () => {
  const refuse = (hint: number, go: string) => {
    try {
      predict(int, int, { entries: 1000, hint, go });
    } catch (e) {
      expect(e).toBeInstanceOf(PredictError);
      return (e as Error).message;
    }
    throw new Error(`hint ${hint} on Go ${go} was simulated`);
  };

  it('refuses 2^35 on both implementations, saying what make would allocate and the bound', () => {
    // swiss: 2^35·8/7 slots → 2^26 tables of 1024 slots, 17 bytes per slot: about 1.2 TB.
    expect(refuse(2 ** 35, '1.26')).toMatch(/^a hint of 34359738368 makes Go 1\.26 allocate 1239\.\d GB at once in make; the engine simulates hints up to 134217728 \(2\^27\)$/);
    // classic: B = 33 (13·2^32 ≥ 2^35), 2^33 + 2^29 buckets of 144 bytes: 1314.3 GB (spec §2.2).
    expect(refuse(2 ** 35, '1.23')).toMatch(/^a hint of 34359738368 makes Go 1\.23 allocate 1314\.3 GB at once in make/);
  });

  it('refuses 2^40 on classic, where 2^40 × 144 bytes is still under maxAlloc (2^48)', () => {
    expect(refuse(2 ** 40, '1.23')).toMatch(/^a hint of 1099511627776 makes Go 1\.23 allocate/);
  });

  it('follows the runtime where it ignores the hint: 2^40 on swiss, 1e15 on both, start empty', () => {
    for (const [hint, go] of [[2 ** 40, '1.26'], [1e15, '1.26'], [1e15, '1.23'], [2 ** 62, '1.26']] as const) {
      const p = predict(int, int, { entries: 1000, hint, go });
      const none = predict(int, int, { entries: 1000, hint: 0, go });
      expect(p.hint).toBe(hint);
      expect(p.events).toEqual(none.events);
      expect(p.notes).toEqual([`the runtime ignores a hint of ${hint}: its table would be larger than the 2^48 bytes a Go process may allocate, so the map starts empty`]);
    }
  });

  it('simulates the bound itself', () => {
    expect(MAX_HINT).toBe(2 ** 27);
    const p = predict(int, int, { entries: 10, hint: MAX_HINT, go: '1.26' });
    // 2^27·8/7 slots → 2^18 tables of 1024 slots: the header, the directory, and per table its
    // 32-byte struct and 128 groups of 136 bytes (17,408 bytes, charged as the 18,432-byte class).
    expect(p.events[0].bytes).toBe(48 + 8 * 2 ** 18 + 2 ** 18 * (32 + 18432));
    expect(p.notes).toEqual([]);
  });
});

describe('constant hint expressions', () => {
  const cases: [string, number | undefined][] = [
    ['1_000', 1000], ['0x10', 16], ['0o17', 15], ['017', 15], ['0b101', 5],
    ['1<<40', 2 ** 40], ['1 << 35', 34359738368], ['(1 << 20) * 3', 3 * 2 ** 20], ['1e15', 1e15], ['2.5e3', 2500],
    ['64 &^ 1', 64], ['-(-8)', 8], ['1<<62', 2 ** 62], ['10/3', 3], ['1e3/8', 125],
    // Not int constants in Go: a fraction, past int64, a float in %, a name or a call.
    ['1e-3', undefined], ['3.0/2', undefined], ['1<<63', undefined], ['1<<64', undefined], ['1e3 % 7', undefined],
    ['n', undefined], ['len(xs)', undefined], ['1 +', undefined], ['(1', undefined], ['1/0', undefined],
  ];
  for (const [text, want] of cases) it(`${text} → ${want}`, () => expect(constantInt(text)).toBe(want));

  it('stays bounded on a huge shift, deep nesting and long text', () => {
    expect(constantInt('1 << 1000000000')).toBeUndefined();
    expect(constantInt(`${'('.repeat(100)}1${')'.repeat(100)}`)).toBeUndefined();
    expect(constantInt('1+'.repeat(200) + '1')).toBeUndefined();
  });
});

// The engine's table of standard-library layouts (engine/stdlib-types.ts) against the real
// compiler: a generated program prints unsafe.Sizeof and unsafe.Alignof of every entry, built by
// each installed toolchain (`go` on PATH, and Debian's go1.19 when present), so a struct that grows
// a field in a new release shows up here instead of as a wrong byte count in a message.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layoutOf, parseGoType } from '../../server/src/core/engine/index';
import { STDLIB_TYPE_NAMES } from '../../server/src/core/engine/stdlib-types';
import { GO119 } from '../helpers/go';

/** Import paths for the package names the table is keyed by; third-party entries have none. */
const IMPORTS: Record<string, string> = {
  time: 'time', sync: 'sync', atomic: 'sync/atomic', big: 'math/big', strings: 'strings', bytes: 'bytes',
  net: 'net', netip: 'net/netip', context: 'context', reflect: 'reflect', fmt: 'fmt', io: 'io',
  http: 'net/http', url: 'net/url', json: 'encoding/json', fs: 'io/fs', os: 'os', sql: 'database/sql',
  unsafe: 'unsafe', ast: 'go/ast', types: 'go/types',
};
/** Generic entries need a type argument to be instantiated. */
const INSTANCE: Record<string, string> = { 'atomic.Pointer': 'atomic.Pointer[int]' };
/** Types that do not exist in an older release, by the first minor version that has them. */
const SINCE: Record<string, number> = { 'atomic.Int32': 19, 'atomic.Pointer': 19, 'sql.NullTime': 13 };

const stdNames = STDLIB_TYPE_NAMES.filter((n) => IMPORTS[n.split('.')[0]] !== undefined);

function program(names: string[]): string {
  const pkgs = [...new Set(names.map((n) => IMPORTS[n.split('.')[0]]))].sort();
  const lines = names.map((n) => {
    const t = INSTANCE[n] ?? n;
    return `\tvar v${names.indexOf(n)} ${t}\n\tfmt.Printf("%s %d %d\\n", ${JSON.stringify(n)}, unsafe.Sizeof(v${names.indexOf(n)}), unsafe.Alignof(v${names.indexOf(n)}))`;
  });
  const imports = [...new Set(['fmt', 'unsafe', ...pkgs])].sort().map((p) => `\t"${p}"`);
  return `package main\n\nimport (\n${imports.join('\n')}\n)\n\nfunc main() {\n${lines.join('\n')}\n}\n`;
}

function goVersion(bin: string): string | null {
  try {
    return execFileSync(bin, ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

const toolchains = [
  { name: '`go` on PATH', bin: 'go', version: goVersion('go') },
  { name: 'go1.19 at /usr/lib/go-1.19', bin: GO119, version: existsSync(GO119) ? goVersion(GO119) : null },
];

const tmp = mkdtempSync(join(tmpdir(), 'mapscope-stdlib-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('standard-library layouts against unsafe.Sizeof/Alignof', () => {
  it('the table covers the entries this test can compile (all but third-party ones)', () => {
    expect(stdNames.length).toBeGreaterThan(60);
    expect(STDLIB_TYPE_NAMES.filter((n) => !stdNames.includes(n))).toEqual(['uuid.UUID']);
  });

  for (const tc of toolchains) {
    if (tc.version === null) console.warn(`[stdlib layout test] SKIPPED for ${tc.name}: toolchain not found; CI must have it`);
    it.skipIf(tc.version === null)(`matches ${tc.name} (${tc.version ?? 'absent'})`, () => {
      const minor = Number(/^go1\.(\d+)/.exec(tc.version!)![1]);
      const names = stdNames.filter((n) => (SINCE[n] ?? 0) <= minor);
      const dir = join(tmp, `m${minor}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'main.go'), program(names));
      writeFileSync(join(dir, 'go.mod'), `module sizes\n\ngo 1.${Math.min(minor, 19)}\n`);
      const out = execFileSync(tc.bin, ['run', '.'], { cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' } });
      const measured = out.trim().split('\n').map((l) => l.split(' '));
      expect(measured.map((m) => m[0])).toEqual(names);
      const mismatches: string[] = [];
      for (const [name, size, align] of measured) {
        const l = layoutOf(parseGoType(INSTANCE[name] ?? name), undefined, { goMinor: minor });
        if (l.assumptions) mismatches.push(`${name}: not in the table (${l.assumptions.join('; ')})`);
        else if (l.size !== Number(size) || l.align !== Number(align)) mismatches.push(`${name}: engine ${l.size}/${l.align}, ${tc.version} ${size}/${align}`);
      }
      expect(mismatches).toEqual([]);
    }, 240_000);
  }
});

// The bundled standard-library snapshot (server/data/stdlib-api.json.gz) is what
// scripts/stdlib-snapshot.mjs makes from the installed Go with today's summariser: run the script
// into a temporary file and compare. When the summariser changes, this fails until the snapshot
// is regenerated (`node scripts/stdlib-snapshot.mjs`), and the loader refuses a stale one anyway.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { tempDir } from './helpers/cli';
import { ROOT } from './helpers/core';
import { goroot, HAS_GO, REQUIRE_GO } from './helpers/go';

const BUNDLED = join(ROOT, 'server', 'data', 'stdlib-api.json.gz');

it.skipIf(!HAS_GO && !REQUIRE_GO)('the bundled snapshot is what the script writes from the installed Go', () => {
  const root = goroot();
  expect(root).toBeDefined();
  const bundled = gunzipSync(readFileSync(BUNDLED)).toString('utf8');
  const version = readFileSync(join(root!, 'VERSION'), 'utf8').split('\n')[0].trim();
  const made = /"go":"(go[^"]+)"/.exec(bundled)?.[1];
  if (made !== version) {
    // Another Go is installed here than the one the snapshot was made from: nothing to compare.
    if (REQUIRE_GO) throw new Error(`the snapshot is of ${made}, the installed Go is ${version}`);
    console.warn(`stdlib snapshot test skipped: the snapshot is of ${made}, the installed Go is ${version}`);
    return;
  }
  const out = join(tempDir('mapscope-snapshot-'), 'stdlib-api.json.gz');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'stdlib-snapshot.mjs'), '--goroot', root!, '--out', out], { stdio: 'pipe', timeout: 280_000 });
  const fresh = gunzipSync(readFileSync(out)).toString('utf8');
  // Equal text: compare sizes first for a short message, then the text.
  expect(fresh.length).toBe(bundled.length);
  expect(fresh === bundled).toBe(true);
  expect(readFileSync(out).equals(readFileSync(BUNDLED))).toBe(true);
}, 300_000);

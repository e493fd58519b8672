#!/usr/bin/env node
// Records the committed profiles of program/ that keep the profile tests running without Go:
//
//   node test/profile/record.mjs /usr/lib/go-1.19/bin/go   → data/{heap,cpu,goroutine}-go1.19.pb.gz
//   node test/profile/record.mjs go                        → data/{heap,cpu,goroutine}-go1.26.pb.gz
//
// Built with -trimpath, so the profiles name the files by module path (mapscope.dev/profile/program/main.go),
// as a profile from another machine would. The live tests (profile-live.test.ts) do the same in a
// temporary directory with the toolchains at hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Builds the program in `program` (default: program/) with `go` and writes a heap profile (every
 * allocation), a CPU profile and a goroutine profile into `outDir`.
 */
export function recordProfiles(go, outDir, { program = join(here, 'program'), trimpath = true, suffix = '', sampled = false } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'mapscope-profile-'));
  try {
    const bin = join(tmp, 'program');
    execFileSync(go, ['build', ...(trimpath ? ['-trimpath'] : []), '-o', bin, '.'], { cwd: program, stdio: ['ignore', 'ignore', 'inherit'] });
    const version = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
    const heap = join(outDir, `heap${suffix}.pb.gz`);
    const cpu = join(outDir, `cpu${suffix}.pb.gz`);
    execFileSync(bin, ['-heap', heap], { stdio: 'inherit' });
    // About a second of filling maps (three quarters of it in the 20,000-entry map).
    execFileSync(bin, ['-cpu', cpu, '-rounds', '200'], { stdio: 'inherit' });
    const goroutine = join(outDir, `goroutine${suffix}.pb.gz`);
    execFileSync(bin, ['-goroutine', goroutine], { stdio: 'inherit' });
    // With Go's default sampling (one allocation per 512 KiB, on average), as production profiles
    // are; the maps made 50 times over, so that each site is sampled many times.
    const heapSampled = sampled ? join(outDir, `heap-sampled${suffix}.pb.gz`) : undefined;
    if (heapSampled) execFileSync(bin, ['-heap', heapSampled, '-rate', String(512 * 1024), '-rounds', '50'], { stdio: 'inherit' });
    return { version, heap, cpu, goroutine, ...(heapSampled ? { heapSampled } : {}) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const go = process.argv[2] ?? 'go';
  const minor = /go1\.(\d+)/.exec(execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }))[1];
  const r = recordProfiles(go, join(here, 'data'), { suffix: `-go1.${minor}` });
  console.log(`${r.version}: ${r.heap}, ${r.cpu}`);
}

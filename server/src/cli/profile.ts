// `mapscope profile PROFILE... [--source DIR] [--go VERSION] [--format text|json]` (design.md §3.7):
// reads Go heap and CPU profiles, attributes their map costs to the map sites of the code under DIR
// (default: the working directory) and ranks the sites by what growth cost. Exit 0, or 2 with one
// line on stderr for a usage error or a file that is not a profile.
import { relative, resolve } from 'node:path';
import { formatBytes, formatNanos } from '../../../common/format';
import { parseGoVersion, type GoVersion } from '../core/go-version';
import { attributeProfiles, type MeasuredSite, type ProfileReport } from '../core/profile/attribute';
import { ProfileError, type DecodedProfile } from '../core/profile/decode';
import { growthBytesText, growthCpuText, hintText, profilesText, sizeText } from '../core/profile/describe';
import { GoParser } from '../core/parse/parser';
import { UsageError } from '../node/files';
import { GoResolver } from '../node/go-env';
import { DiskSources, readProfileFile } from '../node/profile-sources';
import type { CliIO } from './check';
import { commandFailed } from './command-error';

const USAGE = 'usage: mapscope profile PROFILE... [--source DIR] [--go VERSION] [--format text|json]';

interface Options {
  profiles: string[];
  source: string;
  go?: GoVersion;
  format: 'text' | 'json';
}

function parse(args: readonly string[]): Options {
  const o: Options = { profiles: [], source: '.', format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') throw new UsageError(USAGE);
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown flag ${a}; ${USAGE}`);
      o.profiles.push(a);
      continue;
    }
    if (!['source', 'format', 'go'].includes(m[1])) throw new UsageError(`unknown flag --${m[1]}; ${USAGE}`);
    let v = m[2];
    if (v === undefined) {
      if (i + 1 >= args.length) throw new UsageError(`--${m[1]} needs a value`);
      v = args[++i];
    }
    if (m[1] === 'source') o.source = v;
    else if (m[1] === 'format') {
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not "${v}"`);
      o.format = v;
    } else {
      const go = parseGoVersion(v);
      if (!go) throw new UsageError(`--go: "${v}" is not a Go version like 1.22`);
      o.go = go;
    }
  }
  if (o.profiles.length === 0) throw new UsageError(USAGE);
  return o;
}

export async function runProfile(args: string[], io: CliIO): Promise<number> {
  try {
    const o = parse(args);
    const profiles: DecodedProfile[] = o.profiles.map((p) => {
      try {
        return readProfileFile(resolve(p));
      } catch (e) {
        if (e instanceof ProfileError) throw new UsageError(`${p}: ${e.message}`);
        throw e;
      }
    });
    const root = resolve(o.source);
    const { toolchain: go, language } = new GoResolver({ ...(o.go ? { go: { value: o.go, from: '--go flag' } } : {}), mayRunGo: true }).resolve(root);
    const parser = await GoParser.load(io.wasm);
    let sources: DiskSources;
    try {
      sources = new DiskSources(parser, root, { go, language });
    } catch (e) {
      throw new UsageError(`--source ${o.source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
    }
    let report: ProfileReport;
    try {
      report = attributeProfiles(profiles, sources, { go });
    } finally {
      sources.dispose();
    }
    const rel = (f: string) => relative(process.cwd(), f) || f;
    io.out(o.format === 'json' ? `${JSON.stringify(json(report, rel), null, 2)}\n` : text(report, rel));
    return 0;
  } catch (e) {
    return commandFailed('profile', e, io.err);
  }
}

function json(r: ProfileReport, rel: (f: string) => string) {
  return {
    version: 1,
    ...r,
    sites: r.sites.map((s) => ({ ...s, file: rel(s.file) })),
    ambiguous: r.ambiguous.map((a) => ({ ...a, file: rel(a.file) })),
    unlinked: r.unlinked.map((u) => ({ ...u, file: rel(u.file) })),
  };
}

function siteTitle(s: MeasuredSite): string {
  const what = s.kind === 'make' ? `make(${s.type}${s.hint ? `, ${s.hint}` : ''})` : `${s.type}{…}`;
  return `${s.name ? `${s.name} := ` : ''}${what}${s.function ? ` in ${s.function}` : ''}`;
}

function text(r: ProfileReport, rel: (f: string) => string): string {
  const out: string[] = [`profiles: ${profilesText(r.profiles)}; Go ${r.go} (${r.impl} maps)`];
  for (const n of r.notes) out.push(`note: ${n}`);
  if (r.sites.length === 0) out.push('no map costs at the map sites of this code');
  r.sites.forEach((s, i) => {
    out.push('', `${i + 1}. ${rel(s.file)}:${s.line}:${s.column}: ${siteTitle(s)}${s.hot ? ' [hot]' : ''}`);
    const bytes = growthBytesText(s);
    if (bytes) {
      out.push(`   growth: ${bytes}`);
      out.push(`   creation: ${formatBytes(s.initial.allocBytes)}${s.maps !== undefined ? ` for ${s.maps} map${s.maps === 1 ? '' : 's'}` : ''}; still in use: ${formatBytes(s.initial.inuseBytes + s.growth.inuseBytes)}`);
    }
    const cpu = growthCpuText(s);
    if (cpu) out.push(`   cpu in growth: ${cpu}`);
    const size = sizeText(s);
    if (size) out.push(`   size from profile: ${size} (${s.inferred!.basis})`);
    const hint = hintText(s);
    if (hint) out.push(`   suggested: ${hint}`);
    for (const n of s.notes) out.push(`   note: ${n}`);
  });
  if (r.ambiguous.length > 0) {
    out.push('', 'not split (the line may write more than one map):');
    for (const a of r.ambiguous) {
      const c = a.candidates.map((x) => `${x.name ?? 'map'} (line ${x.line})`).join(', ');
      out.push(`  ${rel(a.file)}:${a.line}: ${cost(a)}: ${c}: ${a.reason}`);
    }
  }
  if (r.unlinked.length > 0) {
    out.push('', 'map writes not linked to a make or literal in this code:');
    for (const u of r.unlinked) out.push(`  ${rel(u.file)}:${u.line}: ${u.expr}: ${cost(u)}`);
  }
  return `${out.join('\n')}\n`;
}

function cost(x: { allocBytes: number; cpuNanos: number }): string {
  return [x.allocBytes > 0 ? formatBytes(x.allocBytes) : '', x.cpuNanos > 0 ? `${formatNanos(x.cpuNanos)} CPU` : ''].filter(Boolean).join(', ') || 'no cost';
}

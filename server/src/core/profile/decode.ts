// pprof profiles (the gzip-decompressed protobuf that `go test -memprofile`/`-cpuprofile`,
// runtime/pprof and net/http/pprof write) decoded with a maintained decoder, pprof-format, into
// the little MapScope needs: each sample's frames (leaf first, inlined frames expanded as pprof
// lists them), its values, and the `bytes` label heap profiles put on every sample (the size of
// the allocations it counts). Anything that is not a Go heap or CPU profile, or that is damaged,
// is refused with one line saying why: decompressing is the front end's job (core reads no files).
import { Profile as PprofProfile } from 'pprof-format';

export type ProfileKind = 'heap' | 'cpu';

export interface Frame {
  /** `main.buildIndex`, `runtime.mapassign_fast64`, `internal/runtime/maps.(*table).split`. */
  fn: string;
  /** As recorded at build time: absolute, or module-relative with -trimpath. */
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
}

export interface Sample {
  /** Innermost first. */
  frames: Frame[];
  /** One per sample type, as scaled by the runtime (heap values are estimates unless the rate is 1). */
  values: number[];
  /** Heap profiles: the size of each allocation the sample counts. */
  blockSize?: number;
}

export interface ValueType {
  type: string;
  unit: string;
}

export interface DecodedProfile {
  kind: ProfileKind;
  sampleTypes: ValueType[];
  samples: Sample[];
  /** Heap: runtime.MemProfileRate at the time (1 = every allocation recorded); CPU: nanoseconds between samples. */
  period: number;
  durationNanos: number;
  /** Unix time the profile was taken, in nanoseconds (0 when absent). */
  timeNanos: number;
}

export class ProfileError extends Error {}

const HEAP_TYPES = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'];
/** Sample types of the other profiles Go writes, to say what a file is when it is not ours. */
const OTHER_KINDS: [RegExp, string][] = [
  [/^goroutine$/, 'a goroutine profile'],
  [/^(contentions|delay)$/, 'a mutex or block profile'],
  [/^threadcreate$/, 'a threadcreate profile'],
];

/** Decodes an uncompressed pprof protobuf. Throws ProfileError (one line) on anything else. */
export function decodeProfile(bytes: Uint8Array): DecodedProfile {
  let p: PprofProfile;
  try {
    p = PprofProfile.decode(bytes);
  } catch (e) {
    throw new ProfileError(`not a pprof profile (${(e as Error).message})`);
  }
  const strings = p.stringTable.strings;
  const str = (i: unknown): string => {
    const n = Number(i);
    if (!Number.isInteger(n) || n < 0 || n >= strings.length) throw new ProfileError('damaged or truncated profile (a string index is out of range)');
    return strings[n];
  };
  if (p.sampleType.length === 0) throw new ProfileError('not a pprof profile (it declares no sample types)');
  const sampleTypes = p.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  const names = sampleTypes.map((t) => t.type);
  let kind: ProfileKind;
  if (HEAP_TYPES.every((t) => names.includes(t))) kind = 'heap';
  else if (names.includes('cpu') && names.includes('samples')) kind = 'cpu';
  else {
    const other = OTHER_KINDS.find(([re]) => names.some((n) => re.test(n)));
    throw new ProfileError(`${other ? other[1] : `a profile of ${names.join(', ')}`}, not a Go heap or CPU profile`);
  }

  const functions = new Map<string, { fn: string; file: string }>();
  for (const f of p.function) functions.set(String(f.id), { fn: str(f.name), file: str(f.filename) });
  const locations = new Map<string, Frame[]>();
  for (const l of p.location) {
    const frames: Frame[] = [];
    for (const line of l.line) {
      const f = functions.get(String(line.functionId));
      if (!f) throw new ProfileError('damaged or truncated profile (a location names a missing function)');
      frames.push({ fn: f.fn, file: f.file, line: Number(line.line) });
    }
    locations.set(String(l.id), frames);
  }
  const bytesKey = strings.indexOf('bytes');
  const samples: Sample[] = p.sample.map((s) => {
    if (s.value.length !== sampleTypes.length) throw new ProfileError('damaged or truncated profile (a sample has the wrong number of values)');
    const frames: Frame[] = [];
    for (const id of s.locationId) {
      const l = locations.get(String(id));
      if (!l) throw new ProfileError('damaged or truncated profile (a sample names a missing location)');
      for (const f of l) frames.push(f);
    }
    const label = bytesKey >= 0 ? s.label.find((x) => Number(x.key) === bytesKey) : undefined;
    const blockSize = label ? Number(label.num) : undefined;
    return { frames, values: s.value.map(Number), ...(blockSize ? { blockSize } : {}) };
  });
  if (samples.length === 0 && p.location.length === 0) {
    // A valid but empty profile is possible (nothing ran); a cut-off one usually looks like this too.
    throw new ProfileError('the profile has no samples (the run was too short to sample, or the file is cut off)');
  }
  return { kind, sampleTypes, samples, period: Number(p.period), durationNanos: Number(p.durationNanos), timeNanos: Number(p.timeNanos) };
}

/** The index of a sample type (`alloc_space`, `cpu`), or -1. */
export function valueIndex(profile: DecodedProfile, type: string): number {
  return profile.sampleTypes.findIndex((t) => t.type === type);
}

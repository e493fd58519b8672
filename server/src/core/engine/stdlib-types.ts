// Layouts of standard-library (and a few ubiquitous third-party) types as they are commonly
// used as map keys or values, for 64-bit targets. Keyed by the package name as written in
// source (`time.Time`), since that is what the type syntax gives us. Sizes come from the
// struct definitions in the Go sources named in the comments, and were checked with
// unsafe.Sizeof/Alignof on go1.19.8 and go1.26.8.

import type { GoType } from './go-type';

interface StdLayout { size: number; align: number; pointers: boolean; equality?: 'mem' }

const L = (size: number, align: number, pointers: boolean): StdLayout => ({ size, align, pointers });
/** Integer-like types compared as plain memory (they pick the runtime's fast map paths). */
const M = (size: number, align: number): StdLayout => ({ size, align, pointers: false, equality: 'mem' });

const TABLE: Record<string, StdLayout | ((goMinor: number) => StdLayout)> = {
  // time: Time{wall uint64; ext int64; loc *Location}
  'time.Time': L(24, 8, true),
  'time.Duration': M(8, 8),
  'time.Month': M(8, 8),
  'time.Weekday': M(8, 8),
  // Location{name string; zone []zone; tx []zoneTrans; extend string; cacheStart, cacheEnd int64; cacheZone *zone}
  'time.Location': L(104, 8, true),
  // sync: Mutex{state int32; sema uint32} (1.24+: wraps internal/sync.Mutex, same 8 bytes)
  'sync.Mutex': L(8, 4, false),
  // RWMutex{w Mutex; writerSem, readerSem uint32; readerCount, readerWait atomic.Int32}
  'sync.RWMutex': L(24, 4, false),
  // WaitGroup{noCopy; state atomic.Uint64; sema uint32} (1.19: state1 uint64; state2 uint32)
  'sync.WaitGroup': L(16, 8, false),
  // Once{done atomic.Uint32; m Mutex}
  'sync.Once': L(12, 4, false),
  'sync.Locker': L(16, 8, true),
  'atomic.Int32': L(4, 4, false),
  'atomic.Uint32': L(4, 4, false),
  'atomic.Int64': L(8, 8, false),
  'atomic.Uint64': L(8, 8, false),
  'atomic.Uintptr': L(8, 8, false),
  'atomic.Bool': L(4, 4, false),
  'atomic.Value': L(16, 8, true),
  'atomic.Pointer': L(8, 8, true),
  // math/big: Int{neg bool; abs nat}; Rat{a, b Int}; Float{prec uint32; mode, acc, form, neg; mant nat; exp int32}
  'big.Int': L(32, 8, true),
  'big.Rat': L(64, 8, true),
  'big.Float': L(40, 8, true),
  'big.Word': M(8, 8),
  // strings.Builder{addr *Builder; buf []byte}; bytes.Buffer{buf []byte; off int; lastRead readOp}
  'strings.Builder': L(32, 8, true),
  'bytes.Buffer': L(40, 8, true),
  // net.IP / net.IPMask are []byte; IPNet{IP; Mask}
  'net.IP': L(24, 8, true),
  'net.IPMask': L(24, 8, true),
  'net.IPNet': L(48, 8, true),
  'net.HardwareAddr': L(24, 8, true),
  // netip.Addr{addr uint128; z unique.Handle (1.19–1.22: *intern.Value)}; AddrPort{Addr; port uint16}
  'netip.Addr': L(24, 8, true),
  'netip.AddrPort': L(32, 8, true),
  'netip.Prefix': L(32, 8, true),
  // Interfaces are two words.
  'context.Context': L(16, 8, true),
  'reflect.Type': L(16, 8, true),
  'fmt.Stringer': L(16, 8, true),
  'io.Reader': L(16, 8, true),
  'io.Writer': L(16, 8, true),
  'io.Closer': L(16, 8, true),
  'io.ReadCloser': L(16, 8, true),
  'io.ReadWriter': L(16, 8, true),
  'io.WriteCloser': L(16, 8, true),
  'io.ReadSeeker': L(16, 8, true),
  'io.ReaderAt': L(16, 8, true),
  'io.WriterTo': L(16, 8, true),
  'fs.FS': L(16, 8, true),
  'fs.File': L(16, 8, true),
  'fs.DirEntry': L(16, 8, true),
  'fs.FileInfo': L(16, 8, true),
  'os.DirEntry': L(16, 8, true),
  'os.FileInfo': L(16, 8, true),
  'ast.Node': L(16, 8, true),
  'ast.Expr': L(16, 8, true),
  'ast.Stmt': L(16, 8, true),
  'ast.Decl': L(16, 8, true),
  'ast.Spec': L(16, 8, true),
  'types.Type': L(16, 8, true),
  'types.Object': L(16, 8, true),
  'net.Conn': L(16, 8, true),
  'net.Addr': L(16, 8, true),
  'http.Handler': L(16, 8, true),
  'http.HandlerFunc': L(8, 8, true),
  // reflect.Value{typ *abi.Type; ptr unsafe.Pointer; flag}
  'reflect.Value': L(24, 8, true),
  'reflect.Kind': M(8, 8),
  // Maps under another name are one pointer.
  'http.Header': L(8, 8, true),
  'url.Values': L(8, 8, true),
  // Measured with unsafe.Sizeof: 168 on go1.19, 184 on go1.26 (Quoted and Partitioned added in 1.23).
  'http.Cookie': (goMinor) => L(goMinor >= 23 ? 184 : 168, 8, true),
  'json.RawMessage': L(24, 8, true),
  'json.Number': L(16, 8, true),
  'fs.FileMode': M(4, 4),
  'os.FileMode': M(4, 4),
  'os.Signal': L(16, 8, true),
  // database/sql nullable wrappers: {V; Valid bool}
  'sql.NullString': L(24, 8, true),
  'sql.NullInt64': L(16, 8, false),
  'sql.NullInt32': L(8, 4, false),
  'sql.NullBool': L(2, 1, false),
  'sql.NullFloat64': L(16, 8, false),
  'sql.NullTime': L(32, 8, true),
  // Common third-party: github.com/google/uuid.UUID is [16]byte.
  'uuid.UUID': M(16, 1),
  'unsafe.Pointer': L(8, 8, true),
};

/** Generic standard-library types whose layout does not depend on the type argument. */
const GENERIC_OK = new Set(['atomic.Pointer']);

export function lookupStdlibType(pkg: string, name: string, goMinor: number, args?: GoType[]): StdLayout | undefined {
  const key = `${pkg}.${name}`;
  if (args && !GENERIC_OK.has(key)) return undefined;
  const e = TABLE[key];
  if (!e) return undefined;
  return typeof e === 'function' ? e(goMinor) : e;
}

export const STDLIB_TYPE_NAMES: readonly string[] = Object.keys(TABLE);

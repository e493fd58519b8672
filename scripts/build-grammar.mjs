#!/usr/bin/env node
// Rebuilds grammars/tree-sitter-go.wasm from grammars/tree-sitter-go/grammar.js, with tools from the
// package registries only: tree-sitter-cli from crates.io generates parser.c, and Debian's clang,
// lld and wasi-libc compile it to the side module web-tree-sitter loads. Every version is pinned
// below; the script refuses other versions, so the same grammar.js always gives the same bytes.
// It records what it used in grammars/tree-sitter-go.manifest.json, which test/grammar.test.ts
// checks against the committed files. CI never runs this: the wasm is committed.
//
//   node scripts/build-grammar.mjs            build, write the wasm and the manifest
//   node scripts/build-grammar.mjs --check    build into a temporary folder and compare the bytes
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const GRAMMARS = join(ROOT, 'grammars');
const SOURCE = join(GRAMMARS, 'tree-sitter-go');
const WASM = join(GRAMMARS, 'tree-sitter-go.wasm');
const MANIFEST = join(GRAMMARS, 'tree-sitter-go.manifest.json');

/** tree-sitter-cli from crates.io: 0.25.8 generated the published tree-sitter-go 0.25.0, so the
 * unpatched grammar.js regenerates upstream's parser.c byte for byte. ABI 15 is what the published
 * wasm has, and web-tree-sitter 0.27.1 accepts it. */
const CLI = { crate: 'tree-sitter-cli', version: '0.25.8', abi: 15 };
/** Debian 12 (bookworm) packages: the compiler, the wasm linker and the C headers. */
const DEBIAN = { 'clang-19': '1:19.1.7-3~deb12u1', 'lld-19': '1:19.1.7-3~deb12u1', 'wasi-libc': '0.0~git20220510.9886d3d-2' };
const CLANG = '/usr/lib/llvm-19/bin/clang';
/** The flags of tree-sitter's own loader (crates/loader, compile_parser_to_wasm, with wasi-sdk): a
 * position-independent shared library is what wasm-ld writes as a `dylink.0` side module, which
 * web-tree-sitter links into its heap; the C library functions come from web-tree-sitter itself
 * (-nostdlib, --allow-undefined), and only tree_sitter_go is exported. */
const CFLAGS = [
  '--target=wasm32-wasi',
  '--sysroot=/usr',
  '-fPIC',
  '-shared',
  '-Os',
  '-Wl,--export=tree_sitter_go',
  '-Wl,--allow-undefined',
  '-Wl,--no-entry',
  '-nostdlib',
  '-fno-exceptions',
  '-fvisibility=hidden',
  '-I',
  '.',
];

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function fail(message) {
  console.error(`build-grammar: ${message}`);
  process.exit(1);
}

/** Runs a tool and returns its stdout; on failure, prints what it said (a grammar conflict, a compiler error) and stops. */
function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  } catch (e) {
    fail(`${cmd} ${args.join(' ')} failed:\n${e.stderr || e.message}`);
  }
}

/** The pinned Debian packages, installed with apt-get when missing (as root), refused when another version is there. */
function debianToolchain() {
  const installed = {};
  for (const name of Object.keys(DEBIAN)) {
    try {
      const status = execFileSync('dpkg-query', ['-W', '-f=${Status}|${Version}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      installed[name] = status.replace(/^install ok installed\|/, '');
    } catch {
      installed[name] = undefined;
    }
  }
  const missing = Object.keys(DEBIAN).filter((n) => installed[n] === undefined || installed[n].includes('|'));
  if (missing.length > 0) {
    const wanted = missing.map((n) => `${n}=${DEBIAN[n]}`);
    if (process.getuid?.() !== 0) fail(`missing Debian packages; install them with: apt-get install ${wanted.join(' ')}`);
    console.log(`installing ${wanted.join(' ')}`);
    execFileSync('apt-get', ['install', '-y', '-qq', ...wanted], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return debianToolchain();
  }
  for (const [name, version] of Object.entries(DEBIAN)) {
    if (installed[name] !== version) fail(`${name} is ${installed[name]}, the build is pinned to ${version}`);
  }
  return installed;
}

/** The pinned tree-sitter CLI, installed from crates.io into a cache folder of its own (once: about 7 minutes on 2 cores). */
function treeSitterCli() {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const root = join(cacheRoot, 'mapscope-tools', `${CLI.crate}-${CLI.version}`);
  const bin = join(root, 'bin', 'tree-sitter');
  if (!existsSync(bin)) {
    console.log(`installing ${CLI.crate} ${CLI.version} from crates.io into ${root}`);
    execFileSync('cargo', ['install', CLI.crate, '--version', `=${CLI.version}`, '--locked', '--root', root], { stdio: 'inherit' });
  }
  const version = run(bin, ['--version']).trim();
  if (version !== `tree-sitter ${CLI.version}`) fail(`${bin} says "${version}", expected tree-sitter ${CLI.version}`);
  return bin;
}

/** Generates parser.c and compiles it in a fresh folder; returns the folder. */
function build(cli) {
  const work = mkdtempSync(join(tmpdir(), 'mapscope-grammar-'));
  for (const f of ['grammar.js', 'tree-sitter.json']) copyFileSync(join(SOURCE, f), join(work, f));
  run(cli, ['generate', '--abi', String(CLI.abi)], { cwd: work });
  run(CLANG, ['-o', join(work, 'tree-sitter-go.wasm'), ...CFLAGS, 'parser.c'], { cwd: join(work, 'src') });
  return work;
}

const check = process.argv.includes('--check');
const started = Date.now();
const debian = debianToolchain();
const cli = treeSitterCli();
const work = build(cli);
try {
  const built = join(work, 'tree-sitter-go.wasm');
  if (check) {
    const same = sha256(built) === sha256(WASM);
    console.log(`${same ? 'identical to' : 'DIFFERS from'} the committed wasm (${sha256(built)})`);
    process.exitCode = same ? 0 : 1;
  } else {
    copyFileSync(built, WASM);
    const manifest = {
      comment: 'Written by scripts/build-grammar.mjs; test/grammar.test.ts checks it against the committed files. Do not edit.',
      upstream: { package: 'tree-sitter-go', version: '0.25.0', grammarJsSha256: '53e114833c6769d8a86b9e2dfab8bb68b0aaf185e7008a5c572bfa21b77aff1b' },
      grammarJsSha256: sha256(join(SOURCE, 'grammar.js')),
      treeSitterJsonSha256: sha256(join(SOURCE, 'tree-sitter.json')),
      treeSitterCli: { crate: CLI.crate, version: CLI.version, abi: CLI.abi },
      parserCSha256: sha256(join(work, 'src', 'parser.c')),
      toolchain: { debian, clang: CLANG, flags: CFLAGS },
      wasmSha256: sha256(WASM),
    };
    writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`wrote ${WASM} (${readFileSync(WASM).length} bytes, sha256 ${manifest.wasmSha256}) and ${MANIFEST}`);
  }
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// The CLI and the language server resolve the same toolchain and language version for the same
// folder, and say where each came from (issue 13): two modules whose `go` lines (1.20, 1.22) are
// older than the installed Go. The installed Go decides the map (swiss from 1.24), the go line the
// language: range over int counts only from 1.22, so the go 1.20 module gets no hint for it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { STATUS_NOTIFICATION, type StatusParams } from '../common/protocol';
import { removeDir, runCli, tempDir, writeTree } from './helpers/cli';
import { HAS_GO } from './helpers/go';
import { LspClient } from './helpers/lsp-client';

const FILL = `package fill

// Squares fills a map over range over int: a known trip count from Go 1.22 on.
func Squares() map[int]int {
	m := make(map[int]int)
	for i := range 1000 {
		m[i] = i * i
	}
	return m
}

// Index fills a map from a slice: a known trip count in every Go version.
func Index(items []string) map[string]int {
	m := make(map[string]int)
	for i, s := range items {
		m[s] = i
	}
	return m
}
`;

interface JsonReport {
  version: number;
  go: StatusParams & { folders?: StatusParams[] };
  findings: { file: string; line: number; rule: string; message: string; related: { message: string }[] }[];
}

describe.skipIf(!HAS_GO)('the CLI and the server pick the same Go for a module older than the installed Go', () => {
  if (!HAS_GO) console.warn('go-agreement test: `go` is not on PATH: SKIPPED');
  let dir: string;
  let installed: { version: string; impl: string };
  let lsp: LspClient;
  // The environment both run in: no setting, the machine's Go; GOTOOLCHAIN=local so that no
  // machine-wide GOTOOLCHAIN makes the go 1.22 module switch to a toolchain it would download.
  const env = { ...process.env, GOTOOLCHAIN: 'local' };

  beforeAll(async () => {
    dir = tempDir('mapscope-agree-');
    writeTree(dir, {
      'old/go.mod': 'module example.com/old\n\ngo 1.20\n',
      'old/fill.go': FILL,
      'new/go.mod': 'module example.com/new\n\ngo 1.22\n',
      'new/fill.go': FILL,
    });
    const v = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env }).trim();
    const minor = Number(/^go1\.(\d+)/.exec(v)![1]);
    installed = { version: v.replace(/^go/, '').split(/[\s-]/)[0], impl: minor >= 24 ? 'swiss' : 'classic' };
    lsp = await LspClient.start({
      initializeParams: { rootUri: URI.file(dir).toString(), workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'agree' }], initializationOptions: { trusted: true } },
      env,
    });
  });

  afterAll(async () => {
    await lsp?.stop();
    removeDir(dir);
  });

  it('same toolchain (the installed Go), same language (the go line), same sources, same findings', async () => {
    const cli = await runCli(['check', '--format', 'json', 'old', 'new'], { cwd: dir, env });
    expect(cli.code).toBe(1);
    const report = JSON.parse(cli.stdout) as JsonReport;
    const byFolder = new Map(report.go.folders!.map((s) => [s.folder, s]));
    expect([...byFolder.keys()].sort()).toEqual(['new', 'old']);
    for (const [folder, line] of [['old', '1.20'], ['new', '1.22']]) {
      const s = byFolder.get(folder)!;
      expect(s.toolchain).toMatchObject({ version: installed.version, impl: installed.impl, experiments: [] });
      expect(s.toolchain.source).toMatch(/^go env GOVERSION \(/);
      expect(s.language).toEqual({ version: line, source: `go.mod go line (${join(dir, folder, 'go.mod')})` });
    }

    // The server over stdio, trusted, with no setting: the same choice per folder.
    for (const folder of ['old', 'new']) {
      const uri = URI.file(join(dir, folder, 'fill.go')).toString();
      await lsp.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: FILL } });
      const status = await lsp.waitForNotification<StatusParams>(STATUS_NOTIFICATION, (p) => p.folder === join(dir, folder));
      expect(status).toEqual({ ...byFolder.get(folder)!, folder: join(dir, folder) });
      // Logged through connection.console with both sources.
      const log = await lsp.waitForNotification<{ message: string }>('window/logMessage', (m) => m.message.includes(join(dir, folder)));
      expect(log.message).toContain(`toolchain Go ${installed.version} (${installed.impl}) from go env GOVERSION`);
      expect(log.message).toContain(`language Go ${folder === 'old' ? '1.20' : '1.22'} from go.mod go line`);

      const published = await lsp.waitFor((p) => p.uri === uri);
      const server = published.diagnostics.map((d) => [d.range.start.line + 1, d.code, d.message]);
      const fromCli = report.findings.filter((f) => f.file === `${folder}/fill.go`).map((f) => [f.line, f.rule, f.message]);
      expect(server).toEqual(fromCli);
    }

    // The go lines make the difference: range over int (line 5) is counted in the go 1.22 module only.
    const lines = (folder: string) => report.findings.filter((f) => f.file === `${folder}/fill.go`).map((f) => f.line);
    expect(lines('new')).toEqual([5, 14]);
    expect(lines('old')).toEqual([14]);
    // And the bytes quoted are the installed Go's map's.
    const index = report.findings.find((f) => f.file === 'old/fill.go')!;
    expect(index.related.map((r) => r.message).join('\n')).toContain(`(${installed.impl} map)`);
  });

  it('mapscope check -v says the same on stderr, one line per folder', async () => {
    const cli = await runCli(['check', '-v', 'old'], { cwd: dir, env });
    const lines = cli.stderr.split('\n').filter((l) => l.startsWith('mapscope: Go for'));
    expect(lines).toHaveLength(1);
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(lines[0]).toMatch(new RegExp(`^mapscope: Go for ${esc(join(dir, 'old'))}: toolchain Go ${esc(installed.version)} \\(${installed.impl}\\) `
      + `from go env GOVERSION \\(/\\S+ via [^)]+\\); language Go 1\\.20 from go\\.mod go line \\(${esc(join(dir, 'old', 'go.mod'))}\\)$`));
  });
});

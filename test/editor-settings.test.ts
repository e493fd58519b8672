// The `mapscope.*` settings as the server reads them: the Settings UI's form and the older object
// form of `mapscope.rules`, and every value it does not understand named in words (the server
// logs each and shows it once), falling back to the default.
import { describe, expect, it } from 'vitest';
import { NEWEST_GO } from '../server/src/core/go-version';
import { describeSettings, readSettings } from '../server/src/lsp/settings';

const ALL = ['nil-map-write', 'map-without-hint', 'concurrent-map-write'];

describe('mapscope settings', () => {
  it('defaults: every rule at its own severity, code lenses on, the info log', () => {
    const s = readSettings(undefined);
    expect([...s.rules.enabled!].sort()).toEqual([...ALL].sort());
    expect(s.rules.severity!.size).toBe(0);
    expect(s).toMatchObject({ codeLens: true, logLevel: 'info', problems: [] });
    expect(s.go).toBeUndefined();
    expect(describeSettings(s)).toBe(
      'goVersion detected; rules: nil-map-write error, map-without-hint information, concurrent-map-write warning; defaultMapSize 1000; codeLens on; logLevel info; generated files skipped',
    );
  });

  it('reads a severity or "off" per rule, as the Settings UI writes it, and the older object form', () => {
    const s = readSettings({ rules: { 'map-without-hint': 'off', 'nil-map-write': 'warning', 'concurrent-map-write': { enabled: true, severity: 'error' } } });
    expect([...s.rules.enabled!].sort()).toEqual(['concurrent-map-write', 'nil-map-write']);
    expect(Object.fromEntries(s.rules.severity!)).toEqual({ 'nil-map-write': 'warning', 'concurrent-map-write': 'error' });
    expect(s.problems).toEqual([]);
    expect(readSettings({ rules: { 'nil-map-write': { enabled: false } } }).rules.enabled!.has('nil-map-write')).toBe(false);
    expect(describeSettings(s)).toContain('rules: nil-map-write warning, map-without-hint off, concurrent-map-write error');
  });

  it('names unknown rules, severities, values and keys, and keeps the rule\'s own severity', () => {
    const s = readSettings({
      rules: { 'nil-map-writes': 'off', 'map-without-hint': { severity: 'warn', enabled: 'no', level: 1 }, 'concurrent-map-write': 3 },
    });
    expect(s.problems).toEqual([
      'mapscope.rules names an unknown rule "nil-map-writes" (the rules are nil-map-write, map-without-hint, concurrent-map-write): ignored',
      'mapscope.rules.map-without-hint.enabled must be true or false, not "no": the rule runs',
      'mapscope.rules.map-without-hint: unknown severity "warn" (use error, warning, information, hint): the rule keeps its own severity',
      'mapscope.rules.map-without-hint: unknown key "level": ignored',
      'mapscope.rules.concurrent-map-write: unknown value 3 (use error, warning, information, hint or off): the rule keeps its own severity',
    ]);
    expect([...s.rules.enabled!].sort()).toEqual([...ALL].sort());
    expect(s.rules.severity!.size).toBe(0);
    expect(readSettings({ rules: ['nil-map-write'] }).problems).toEqual([
      'mapscope.rules must be an object like {"map-without-hint": "off"}, not ["nil-map-write"]: every rule runs with its own severity',
    ]);
  });

  it('says plainly when the Go version is outside what the engine models, and models the nearest', () => {
    const newest = `1.${NEWEST_GO.minor}`;
    const high = readSettings({ goVersion: '1.30' });
    expect(high.go).toEqual({ major: 1, minor: NEWEST_GO.minor });
    expect(high.problems).toEqual([`mapscope.goVersion is 1.30, but MapScope models Go 1.19 to ${newest}: it models Go ${newest} instead`]);
    const low = readSettings({ goVersion: 'go1.12' });
    expect(low.go).toEqual({ major: 1, minor: 19 });
    expect(low.problems).toEqual([`mapscope.goVersion is go1.12, but MapScope models Go 1.19 to ${newest}: it models Go 1.19 (classic maps) instead`]);
    expect(readSettings({ goVersion: 'go1.24.4' })).toMatchObject({ go: { major: 1, minor: 24 }, problems: [] });
    expect(readSettings({ goVersion: ' ' })).toMatchObject({ problems: [] });
    const bad = readSettings({ goVersion: '1.x' });
    expect(bad.go).toBeUndefined();
    expect(bad.problems).toEqual(['mapscope.goVersion "1.x" is not a Go version like 1.23 or 1.24.4: detecting the version instead']);
  });

  it('checks the other settings the same way', () => {
    expect(readSettings({ defaultMapSize: -1, logLevel: 'verbose', codeLens: false })).toMatchObject({
      codeLens: false,
      logLevel: 'info',
      problems: [
        'mapscope.defaultMapSize must be a whole number from 0 to 50000000, not -1: using 1000',
        'mapscope.logLevel must be one of error, warning, info, debug, not "verbose": using info',
      ],
    });
    expect(readSettings({ defaultMapSize: 2500, logLevel: 'debug' })).toMatchObject({ rules: { defaultMapSize: 2500 }, logLevel: 'debug', problems: [] });
  });
});

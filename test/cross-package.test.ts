// The rules on packages that import each other, through an in-memory import graph (the loader's
// tests cover the same on real module layouts): what a type declared in another package decides.
// Each expectation is reasoned by hand from the Go spec; without the graph every one is silent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../server/src/core/analyze';
import type { Finding } from '../server/src/core/findings';
import { NEWEST_GO } from '../server/src/core/go-version';
import { PackageIndex } from '../server/src/core/index/package-index';
import { memoryPackages, type MemoryPackages } from './helpers/import-graph';

const OS = `package os

type DirEntry interface{ Name() string }

func ReadDir(name string) ([]DirEntry, error) { return nil, nil }
`;

const CONFIG = `package config

type Label string

type Options struct {
	Name   string
	Labels map[string]Label
	inner
}

type inner struct {
	Limits map[string]int
}

type MD map[string][]string

type Registry struct {
	Services Services
}

type Services struct {
	Items map[string]int
}

func Load() []Options { return nil }
`;

const APP = `package app

import (
	"os"
	"sync"

	"example.com/m/config"
	"example.com/m/missing"
)

type server struct {
	reg config.Registry
}

func names(dir string) map[string]bool {
	files, _ := os.ReadDir(dir)
	seen := make(map[string]bool)
	for _, f := range files {
		seen[f.Name()] = true
	}
	return seen
}

func keys(md config.MD) map[string]int {
	out := map[string]int{}
	for k := range md {
		out[k] = 1
	}
	return out
}

func (s *server) index() map[string]int {
	byName := make(map[string]int)
	for name, n := range s.reg.Services.Items {
		byName[name] = n
	}
	return byName
}

func loaded() map[string]config.Options {
	opts := config.Load()
	m := make(map[string]config.Options)
	for _, o := range opts {
		m[o.Name] = o
	}
	return m
}

func unknown() map[string]bool {
	xs := missing.List()
	m := make(map[string]bool)
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func label() {
	var cfg config.Options
	cfg.Labels["env"] = "prod"
}

func tally(words []string) config.MD {
	seen := make(config.MD)
	var wg sync.WaitGroup
	for _, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen[w] = nil
		}()
	}
	wg.Wait()
	return seen
}

func limit() {
	var cfg config.Options
	cfg.Limits["cpu"] = 2
}
`;

let mem: MemoryPackages;
beforeAll(async () => {
  mem = await memoryPackages({
    os: { 'os.go': OS },
    'example.com/m/config': { 'config.go': CONFIG },
    'example.com/m/app': { 'app.go': APP },
  });
});
afterAll(() => mem.close());

function findings(withGraph: boolean): Finding[] {
  const unit = mem.units.get('example.com/m/app/app.go')!;
  const pkg = mem.packages.get('example.com/m/app')!;
  return analyzeFile(unit, withGraph ? pkg : new PackageIndex(pkg.summaries), { go: NEWEST_GO });
}

/** The 1-based line of a byte offset (the sources are ASCII). */
function lineAt(offset: number): number {
  return APP.slice(0, offset).split('\n').length;
}

function line(text: string): number {
  return APP.split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('across packages', () => {
  it('map-without-hint: ranges over a call result, another package map type, a field chain into another package', () => {
    const got = findings(true)
      .filter((f) => f.rule === 'map-without-hint')
      .map((f) => [lineAt(f.range.start), f.message]);
    expect(got).toEqual([
      [line('seen := make'), expect.stringContaining('`len(files)`')],
      [line('out := map'), expect.stringContaining('`len(md)`')],
      [line('byName := make'), expect.stringContaining('`len(s.reg.Services.Items)`')],
      [line('m := make(map[string]config.Options)'), expect.stringContaining('`len(opts)`')],
    ]);
  });

  it('nil-map-write: a map field of another package struct, direct or promoted, is nil in its zero value', () => {
    const got = findings(true)
      .filter((f) => f.rule === 'nil-map-write')
      .map((f) => lineAt(f.range.start));
    expect(got).toEqual([line('cfg.Labels["env"]'), line('cfg.Limits["cpu"]')]);
  });

  it('concurrent-map-write: a variable of another package map type written by every goroutine of a loop', () => {
    const got = findings(true)
      .filter((f) => f.rule === 'concurrent-map-write')
      .map((f) => [lineAt(f.range.start), f.message]);
    expect(got).toEqual([[line('seen[w] = nil'), expect.stringContaining('every goroutine this loop starts writes map `seen`')]]);
  });

  it('says nothing of what only the other packages declare when the graph is absent', () => {
    expect(findings(false)).toEqual([]);
  });
});

describe('nested fills', () => {
  it('give no product when an inner range depends on a variable of the outer loop body (here shadowed by the inner loop variable)', async () => {
    const mem2 = await memoryPackages({
      'example.com/m/n': {
        'n.go': `package n

type change struct{ Raw []kv }
type kv struct{ Key, Value string }

func (c change) proto() (change, error) { return c, nil }

func flatten(changes []change) map[string]string {
	ret := make(map[string]string)
	for _, c := range changes {
		raw, _ := c.proto()
		for _, raw := range raw.Raw {
			ret[raw.Key] = raw.Value
		}
	}
	return ret
}
`,
      },
    });
    try {
      const unit = mem2.units.get('example.com/m/n/n.go')!;
      expect(analyzeFile(unit, mem2.packages.get('example.com/m/n')!, { go: NEWEST_GO })).toEqual([]);
    } finally {
      mem2.close();
    }
  });
});

// concurrent-map-write's documentation: docs/rules.md is generated from it, and a test runs its examples.
import type { RuleDocs } from '../rule';

export const docs: RuleDocs = {
  summary: 'A map written by a goroutine while another goroutine that may run at the same time writes or reads it, with no lock held.',
  why:
    'Go maps are not safe for concurrent use. A write racing with another write or a read corrupts the map; the runtime ' +
    'detects some of these and stops the whole program with "fatal error: concurrent map writes", which no `recover` can ' +
    'catch. The race detector sees the race only if a test happens to run the interleaving; this rule finds the common ' +
    'shapes in the editor: goroutines started in a loop that all write one map, a goroutine writing a map that the ' +
    'function that started it still uses, maps in struct fields reached through a shared variable or through the methods ' +
    'a goroutine calls (`go func() { t.reset() }()`), inner maps of nested maps (`m[k][j] = v`), each goroutine locking ' +
    'its own mutex, and lock discipline: a map field that the methods of its type touch under the type\'s mutex almost ' +
    'everywhere, touched without it in an exported method (or written under `RLock`), HTTP handlers (`ServeHTTP`, ' +
    'a `HandleFunc` literal) and gRPC service methods (of a type embedding the generated `UnimplementedXxxServer`, or ' +
    'registered anywhere in the package with a generated `pb.RegisterXxxServer(s, impl)`) writing ' +
    'a shared map, which net/http and gRPC run on a goroutine per request, closures and method calls a goroutine defers ' +
    '(`defer func() { m[k] = v }()`), and funcs given to a function of the package, in any of its files, that runs them ' +
    'in a goroutine (`g.Go(func() {…})`, `safeGo(p.flush)`, `go Until(p.flush, stop)`).',
  bad:
    'func count(words []string) map[string]int {\n\tcounts := make(map[string]int)\n\tvar wg sync.WaitGroup\n\tfor _, w := range words {\n' +
    '\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tcounts[w]++\n\t\t}()\n\t}\n\twg.Wait()\n\treturn counts\n}',
  good:
    'func count(words []string) map[string]int {\n\tcounts := make(map[string]int)\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n' +
    '\tfor _, w := range words {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tmu.Lock()\n\t\t\tcounts[w]++\n\t\t\tmu.Unlock()\n' +
    '\t\t}()\n\t}\n\twg.Wait()\n\treturn counts\n}\n\n' +
    '// The other two standard remedies: a sync.Map (for keys written once and read many times),\n' +
    '// or one goroutine owning the map and the others sending it what to store on a channel:\n' +
    '//\n//\tresults := make(chan string)\n//\tgo func() { defer close(results); for _, w := range words { results <- w } }()\n' +
    '//\tfor w := range results {\n//\t\tcounts[w]++\n//\t}',
  silentWhen: [
    'the same `sync.Mutex` (or the write side of a `sync.RWMutex`) is locked around every racing access, with `Unlock` after it or `defer Unlock()`',
    'the map is a `sync.Map`, or is created inside each goroutine or each loop iteration',
    'the spawning function only touches the map after `wg.Wait()`, `g.Wait()`, a channel receive, a `select`, or a range it cannot prove is not over a channel',
    'the goroutine touches the map only after a channel operation or a wait (a hand-over or a semaphore may order it)',
    'a lock is held on some paths only, or taken through something the rule cannot read (a helper, `TryLock`), or `sync.Once`, atomics or `errgroup.SetLimit` are involved',
    'the map variable is reassigned after the goroutine starts, or its address is taken',
    '`wg.Go` when the module targets Go before 1.25 (go.mod\'s `go` line)',
    'lock discipline: fewer than two accesses hold the guard, or no more than do not; the method is unexported, or named `…Locked`, or every call of it holds the lock; it holds another mutex; it never takes the guard and only reads, or is a setup or teardown method (`Close`, `Init`, `Unmarshal`…), or the type lets callers hold its lock (a `Lock` method, an embedded mutex); it replaces the map (`c.m = make(…)`); the struct is made in a constructor before it escapes',
    'a nested map\'s key differs between the two sides, or is a variable reassigned anywhere',
    'an HTTP handler or gRPC method holds a lock (or one the rule cannot read), makes the map per request, replaces the field (`h.m = make(…)`), or does a channel operation before the write',
    'a function given a func waits for the goroutine it starts, takes a semaphore or any lock, or passes the func on more than three calls deep; it is declared in another package; methods of one name in the package disagree on what they do with it',
    'a goroutine defers the access and anything in its body may order it (a wait, a channel operation) or takes a lock',
  ],
  fix:
    'Where a map field is guarded by its type\'s mutex everywhere else and the unguarded access is a simple statement of its own ' +
    'in a method that holds no lock, the fix wraps that statement in the mutex\'s `Lock`/`Unlock`. Otherwise ' +
    'no automatic fix: which remedy fits depends on the program. Take a mutex around every access (the finding names the lock ' +
    'when other accesses already hold one), use a `sync.Map`, or give the map to one goroutine and send it updates on a channel. ' +
    'Related information points at every racing access and at the statement that starts the goroutine.',
};

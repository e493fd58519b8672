// Command probe measures what the Go runtime really allocates while a map grows, so the
// MapScope engine can be checked against it. For every single map operation it reads
// runtime.MemStats (TotalAlloc, Mallocs) before and after, with the GC off and GOMAXPROCS=1,
// and the map header through unsafe (hmap fields on classic maps, the directory and tables on
// swiss maps). It prints one JSON object per run on stdout.
//
//	probe -type i64_i64 -hint 0 -n 100000 -runs 3 -workload fill
//	probe -type i64_i64 -workload churn:100:200000
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"
)

// sink makes every map escape to the heap, as the engine assumes.
var sink interface{}

type event struct {
	Insert  int    `json:"i"`
	Op      string `json:"op,omitempty"` // "d" delete, "u" update; insert otherwise
	Kind    string `json:"k"`
	Bytes   uint64 `json:"b"`
	Mallocs uint64 `json:"m"`
	State   state  `json:"s"`
}

// epoch sums the overflow-only allocations between two structural events.
type epoch struct {
	From    int    `json:"from"` // insert number of the structural event that opened the epoch
	Count   int    `json:"n"`
	Bytes   uint64 `json:"b"`
	Mallocs uint64 `json:"m"`
}

type result struct {
	Go       string    `json:"go"`
	Type     string    `json:"type"`
	Key      string    `json:"key"`
	Value    string    `json:"value"`
	Hint     int       `json:"hint"`
	N        int       `json:"n"`
	Workload string    `json:"workload"`
	Make     event     `json:"make"`
	PerEntry [2]uint64 `json:"perEntry"` // bytes, mallocs of each insert's own key/value boxes
	Events   []event   `json:"events"`
	Overflow []epoch   `json:"overflow,omitempty"`
	Final    state     `json:"final"`
	Total    uint64    `json:"total"`
}

type op struct {
	kind byte // 'i', 'd', 'u'
	key  int
}

func ops(workload string, n int) []op {
	if workload == "fill" {
		o := make([]op, n)
		for i := range o {
			o[i] = op{'i', i}
		}
		return o
	}
	parts := strings.Split(workload, ":")
	if len(parts) != 3 {
		panic("bad workload " + workload)
	}
	size, _ := strconv.Atoi(parts[1])
	count, _ := strconv.Atoi(parts[2])
	var o []op
	for i := 0; i < size; i++ {
		o = append(o, op{'i', i})
	}
	for i := 0; i < count; i++ {
		switch parts[0] {
		case "churn":
			o = append(o, op{'i', size + i}, op{'d', i})
		case "update":
			o = append(o, op{'u', i % size})
		default:
			panic("bad workload " + workload)
		}
	}
	return o
}

func maxKey(o []op) int {
	m := 0
	for _, x := range o {
		if x.key >= m {
			m = x.key + 1
		}
	}
	return m
}

// target is one map under test: keys are prepared before measuring so that building them
// allocates nothing inside the measured window.
type target interface {
	prepare(nkeys int)
	make(hint int)
	set(i int)
	del(i int)
	ptr() unsafe.Pointer
}

type gmap[K comparable, V any] struct {
	mk   func(int) K
	val  V
	keys []K
	m    map[K]V
}

func (g *gmap[K, V]) prepare(n int) {
	g.keys = make([]K, n)
	for i := range g.keys {
		g.keys[i] = g.mk(i)
	}
}
func (g *gmap[K, V]) make(hint int) { g.m = make(map[K]V, hint); sink = g.m }
func (g *gmap[K, V]) set(i int)     { g.m[g.keys[i]] = g.val }
func (g *gmap[K, V]) del(i int)     { delete(g.m, g.keys[i]) }
func (g *gmap[K, V]) ptr() unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&g.m))
}

// anyMap is map[any]int, written out because go1.19 generics cannot use any as comparable.
type anyMap struct {
	keys []any
	m    map[any]int
}

func (g *anyMap) prepare(n int) {
	g.keys = make([]any, n)
	for i := range g.keys {
		g.keys[i] = int64(i)
	}
}
func (g *anyMap) make(hint int) { g.m = make(map[any]int, hint); sink = g.m }
func (g *anyMap) set(i int)     { g.m[g.keys[i]] = 1 }
func (g *anyMap) del(i int)     { delete(g.m, g.keys[i]) }
func (g *anyMap) ptr() unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&g.m))
}

// measure runs the operations on a fresh map and records every allocation they cause.
func measure(name, key, value string, t target, hint int, workload string, n int) result {
	o := ops(workload, n)
	t.prepare(maxKey(o))
	deltas := make([][2]uint64, len(o))
	states := make([]state, len(o))

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms
	t.make(hint)
	runtime.ReadMemStats(&ms)
	res := result{Go: runtime.Version(), Type: name, Key: key, Value: value, Hint: hint, N: n, Workload: workload}
	res.Make = event{Kind: "make", Bytes: ms.TotalAlloc - before.TotalAlloc, Mallocs: ms.Mallocs - before.Mallocs, State: readState(t.ptr())}
	prev := ms
	start := ms.TotalAlloc
	for i, x := range o {
		switch x.kind {
		case 'i', 'u':
			t.set(x.key)
		case 'd':
			t.del(x.key)
		}
		runtime.ReadMemStats(&ms)
		deltas[i] = [2]uint64{ms.TotalAlloc - prev.TotalAlloc, ms.Mallocs - prev.Mallocs}
		if deltas[i][0] != 0 {
			states[i] = readState(t.ptr())
			// Re-read so that nothing readState might do is charged to the next operation.
			runtime.ReadMemStats(&ms)
		}
		prev = ms
	}
	res.Total = ms.TotalAlloc - start + res.Make.Bytes
	res.Final = readState(t.ptr())

	// Each insert of an indirect (> 128-byte) key or value boxes it: that per-entry cost is the
	// smallest delta any insert showed; everything above it is growth.
	perEntry := [2]uint64{^uint64(0), ^uint64(0)}
	for i, x := range o {
		if x.kind == 'i' && deltas[i][0] < perEntry[0] {
			perEntry = deltas[i]
		}
	}
	if perEntry[0] == ^uint64(0) {
		perEntry = [2]uint64{}
	}
	res.PerEntry = perEntry

	inserts := 0
	prevState := res.Make.State
	cur := epoch{From: 0}
	for i, x := range o {
		if x.kind == 'i' {
			inserts++
		}
		d := deltas[i]
		if x.kind == 'i' {
			d[0] -= perEntry[0]
			d[1] -= perEntry[1]
		}
		if d[0] == 0 {
			continue
		}
		s := states[i]
		kind := classify(prevState, s)
		prevState = s
		opName := ""
		if x.kind == 'd' {
			opName = "d"
		} else if x.kind == 'u' {
			opName = "u"
		}
		if kind == "overflow" {
			cur.Count++
			cur.Bytes += d[0]
			cur.Mallocs += d[1]
			continue
		}
		if cur.Count > 0 {
			res.Overflow = append(res.Overflow, cur)
		}
		cur = epoch{From: inserts}
		res.Events = append(res.Events, event{Insert: inserts, Op: opName, Kind: kind, Bytes: d[0], Mallocs: d[1], State: s})
	}
	if cur.Count > 0 {
		res.Overflow = append(res.Overflow, cur)
	}
	sink = nil
	return res
}

func be(i int) [8]byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(i))
	return b
}

type runner func(hint int, workload string, n int) result

func types() map[string]runner {
	type a129 = [129]byte
	type a200 = [200]byte
	type a128 = [128]byte
	type a16 = [16]byte
	type a3 = [3]byte
	type a5 = [5]byte
	str := func(i int) string { return "k" + strconv.Itoa(i) }
	ptrs := map[int]*int64{}
	ptr := func(i int) *int64 {
		if p, ok := ptrs[i]; ok {
			return p
		}
		p := new(int64)
		*p = int64(i)
		ptrs[i] = p
		return p
	}
	return map[string]runner{
		"i64_i64": func(h int, w string, n int) result {
			return measure("i64_i64", "int64", "int64", &gmap[int64, int64]{mk: func(i int) int64 { return int64(i) }, val: int64(1)}, h, w, n)
		},
		"str_int": func(h int, w string, n int) result {
			return measure("str_int", "string", "int", &gmap[string, int]{mk: str, val: 1}, h, w, n)
		},
		"i64_set": func(h int, w string, n int) result {
			return measure("i64_set", "int64", "struct{}", &gmap[int64, struct{}]{mk: func(i int) int64 { return int64(i) }, val: struct{}{}}, h, w, n)
		},
		"str_set": func(h int, w string, n int) result {
			return measure("str_set", "string", "struct{}", &gmap[string, struct{}]{mk: str, val: struct{}{}}, h, w, n)
		},
		"i32_i32": func(h int, w string, n int) result {
			return measure("i32_i32", "int32", "int32", &gmap[int32, int32]{mk: func(i int) int32 { return int32(i) }, val: int32(1)}, h, w, n)
		},
		"i64_i8": func(h int, w string, n int) result {
			return measure("i64_i8", "int64", "int8", &gmap[int64, int8]{mk: func(i int) int64 { return int64(i) }, val: int8(1)}, h, w, n)
		},
		"a129_int": func(h int, w string, n int) result {
			return measure("a129_int", "[129]byte", "int", &gmap[a129, int]{mk: func(i int) a129 { var a a129; b := be(i); copy(a[:], b[:]); return a }, val: 1}, h, w, n)
		},
		"int_a200": func(h int, w string, n int) result {
			return measure("int_a200", "int", "[200]byte", &gmap[int, a200]{mk: func(i int) int { return i }, val: a200{1}}, h, w, n)
		},
		"any_int": func(h int, w string, n int) result {
			return measure("any_int", "any", "int", &anyMap{}, h, w, n)
		},
		"ptr_int": func(h int, w string, n int) result {
			return measure("ptr_int", "*int64", "int", &gmap[*int64, int]{mk: ptr, val: 1}, h, w, n)
		},
		"int_ptr": func(h int, w string, n int) result {
			v := new(int64)
			return measure("int_ptr", "int", "*int64", &gmap[int, *int64]{mk: func(i int) int { return i }, val: v}, h, w, n)
		},
		"str_str": func(h int, w string, n int) result {
			return measure("str_str", "string", "string", &gmap[string, string]{mk: str, val: "v"}, h, w, n)
		},
		"a16_i64": func(h int, w string, n int) result {
			return measure("a16_i64", "[16]byte", "int64", &gmap[a16, int64]{mk: func(i int) a16 { var a a16; b := be(i); copy(a[8:], b[:]); return a }, val: int64(1)}, h, w, n)
		},
		"a5_i64": func(h int, w string, n int) result {
			return measure("a5_i64", "[5]byte", "int64", &gmap[a5, int64]{mk: func(i int) a5 { var a a5; b := be(i); copy(a[:], b[3:]); return a }, val: int64(1)}, h, w, n)
		},
		"a3_i16": func(h int, w string, n int) result {
			return measure("a3_i16", "[3]byte", "int16", &gmap[a3, int16]{mk: func(i int) a3 { var a a3; b := be(i); copy(a[:], b[5:]); return a }, val: int16(1)}, h, w, n)
		},
		"i64_a128": func(h int, w string, n int) result {
			return measure("i64_a128", "int64", "[128]byte", &gmap[int64, a128]{mk: func(i int) int64 { return int64(i) }, val: a128{1}}, h, w, n)
		},
	}
}

func main() {
	typ := flag.String("type", "i64_i64", "map type (see -list)")
	hint := flag.Int("hint", 0, "make hint")
	n := flag.Int("n", 1000, "entries for the fill workload")
	runs := flag.Int("runs", 1, "repetitions (each map gets a fresh random hash seed)")
	workload := flag.String("workload", "fill", "fill, churn:<size>:<ops> or update:<size>:<ops>")
	list := flag.Bool("list", false, "list the map types")
	flag.Parse()
	ts := types()
	if *list {
		for name := range ts {
			fmt.Println(name)
		}
		return
	}
	run, ok := ts[*typ]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown -type", *typ)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(-1)
	enc := json.NewEncoder(os.Stdout)
	for r := 0; r < *runs; r++ {
		if err := enc.Encode(run(*hint, *workload, *n)); err != nil {
			panic(err)
		}
		runtime.GC()
	}
}

// Fills maps of known sizes and writes a heap profile and a CPU profile of it, for
// test/profile/*.test.ts: one map without a hint filled directly, one without a hint filled
// through a helper, one with a hint filled through the same helper, and pairs of maps written on
// one line (of two types, whose allocations differ in size, and of one type, whose do not).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// The sizes the tests expect the profile to reveal.
const (
	indexSize = 20000
	setSize   = 3000
	namesSize = 4000
	pairSize  = 1000
)

var sink []interface{}

func buildIndex(n int) map[int64]int64 {
	index := make(map[int64]int64)
	for i := 0; i < n; i++ {
		index[int64(i)] = int64(i) * 2
	}
	return index
}

func buildSet(keys []string) map[string]int {
	set := make(map[string]int)
	for i, k := range keys {
		put(set, k, i)
	}
	return set
}

func buildNames(names []string) map[string]int {
	byName := make(map[string]int, len(names))
	for i, name := range names {
		put(byName, name, i)
	}
	return byName
}

func buildPairs(n int) []interface{} {
	wide := make(map[int64]int64)
	narrow := make(map[int32]int32)
	left := make(map[int64]int64)
	right := make(map[int64]int64)
	for i := 0; i < n; i++ {
		wide[int64(i)], narrow[int32(i)] = 1, 1
		left[int64(i)], right[int64(i)] = 1, 1
	}
	return []interface{}{wide, narrow, left, right}
}

func put(m map[string]int, k string, v int) {
	m[k] = v
}

func keys(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func main() {
	heap := flag.String("heap", "", "write a heap profile here (every allocation recorded unless -rate is given)")
	rate := flag.Int("rate", 1, "runtime.MemProfileRate for the heap profile")
	cpu := flag.String("cpu", "", "write a CPU profile here, filling the maps -rounds times")
	goroutine := flag.String("goroutine", "", "write a goroutine profile here (a profile that is neither heap nor CPU)")
	rounds := flag.Int("rounds", 1, "fill the maps this many times (a CPU profile or a sampled heap profile needs many)")
	flag.Parse()
	if *goroutine != "" {
		f, err := os.Create(*goroutine)
		if err != nil {
			panic(err)
		}
		if err := pprof.Lookup("goroutine").WriteTo(f, 0); err != nil {
			panic(err)
		}
		f.Close()
		return
	}
	if (*heap == "") == (*cpu == "") {
		fmt.Fprintln(os.Stderr, "one of -heap, -cpu and -goroutine: one profile per run (a heap profile's rate slows the CPU one down)")
		os.Exit(2)
	}
	if *heap != "" {
		runtime.MemProfileRate = *rate
	}
	setKeys, names := keys("s", setSize), keys("n", namesSize)
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			panic(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			panic(err)
		}
		// A number of rounds, not a time: on a busy machine the profile still holds the same work.
		for i := 0; i < *rounds; i++ {
			sink = append(sink[:0], buildIndex(indexSize), buildSet(setKeys), buildNames(names), buildPairs(pairSize))
		}
		pprof.StopCPUProfile()
		f.Close()
	}
	if *heap != "" {
		for i := 0; i < *rounds; i++ {
			sink = append(sink[:0], buildIndex(indexSize), buildSet(setKeys), buildNames(names), buildPairs(pairSize))
		}
		f, err := os.Create(*heap)
		if err != nil {
			panic(err)
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			panic(err)
		}
		f.Close()
	}
}

//go:build go1.26 || (go1.24 && goexperiment.swissmap)

package main

import "unsafe"

// Map and table of internal/runtime/maps (1.24–1.26).
type swissMap struct {
	used        uint64
	seed        uintptr
	dirPtr      unsafe.Pointer
	dirLen      int
	globalDepth uint8
}

type table struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
}

type state struct {
	DirLen   int    `json:"dirLen"`
	Tables   int    `json:"tables"`
	Capacity int    `json:"capacity"` // Σ table capacities (slots); 8 for a small map
	Small    bool   `json:"small,omitempty"`
	Impl     string `json:"impl"`
}

func readState(p unsafe.Pointer) state {
	m := (*swissMap)(p)
	s := state{DirLen: m.dirLen, Impl: "swiss"}
	if m.dirLen == 0 {
		if m.dirPtr != nil {
			s.Small = true
			s.Capacity = 8
		}
		return s
	}
	// A table occupies consecutive directory entries, so counting changes of pointer counts
	// tables without allocating (an allocation here would leak into the next measurement).
	var prev unsafe.Pointer
	for i := 0; i < m.dirLen; i++ {
		t := *(*unsafe.Pointer)(unsafe.Add(m.dirPtr, i*8))
		if t != prev {
			prev = t
			s.Tables++
			s.Capacity += int((*table)(t).capacity)
		}
	}
	return s
}

func classify(prev, s state) string {
	switch {
	case !prev.Small && prev.DirLen == 0 && s.Small:
		return "alloc"
	case s.Tables > prev.Tables && prev.Tables > 0:
		return "split"
	case s.Capacity != prev.Capacity || s.Tables != prev.Tables:
		return "grow"
	}
	return "overflow"
}

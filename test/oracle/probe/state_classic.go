//go:build !go1.24 || (!go1.26 && !goexperiment.swissmap)

package main

import "unsafe"

// hmap's leading fields (runtime/map.go; unchanged in map_noswiss.go up to nevacuate).
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
}

// state is what the map header says after an allocation.
type state struct {
	B         uint8   `json:"B"`
	Noverflow uint16  `json:"noverflow"`
	Growing   bool    `json:"growing,omitempty"`
	Buckets   uintptr `json:"-"`
	Impl      string  `json:"impl"`
}

func readState(p unsafe.Pointer) state {
	h := (*hmap)(p)
	return state{B: h.B, Noverflow: h.noverflow, Growing: h.oldbuckets != nil, Buckets: uintptr(h.buckets), Impl: "classic"}
}

// classify names an allocation by how the header changed.
func classify(prev, s state) string {
	switch {
	case prev.Buckets == 0 && s.Buckets != 0 && s.B == prev.B:
		return "alloc"
	case s.B != prev.B:
		return "grow"
	case s.Buckets != prev.Buckets:
		return "same-size"
	}
	return "overflow"
}

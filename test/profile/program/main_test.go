package main

import "testing"

// For the README's walkthrough:
//
//	go test -run TestFillIndex -memprofile mem.out -memprofilerate 1
//	go test -run '^$' -bench FillIndex -cpuprofile cpu.out
func TestFillIndex(t *testing.T) {
	index := buildIndex(indexSize)
	if len(index) != indexSize {
		t.Fatalf("buildIndex made %d entries, want %d", len(index), indexSize)
	}
	sink = append(sink[:0], index)
}

func BenchmarkFillIndex(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = append(sink[:0], buildIndex(indexSize))
	}
}

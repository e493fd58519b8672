package main

import "testing"

// For the README's walkthrough: go test -run TestFillIndex -memprofile mem.out -memprofilerate 1
func TestFillIndex(t *testing.T) {
	if got := len(buildIndex(indexSize)); got != indexSize {
		t.Fatalf("buildIndex made %d entries, want %d", got, indexSize)
	}
}

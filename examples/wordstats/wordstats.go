// Package wordstats counts words. It has two nil-map bugs that MapScope reports.
package wordstats

import "strings"

// Frequencies returns how often each word occurs in text.
func Frequencies(text string) (freq map[string]int) {
	for _, w := range strings.Fields(text) {
		freq[strings.ToLower(w)]++
	}
	return freq
}

// Unique returns the words of text in order of first appearance.
func Unique(text string) []string {
	var seen map[string]bool
	var out []string
	for _, w := range strings.Fields(text) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Lengths is fine: the map is made before it is written.
func Lengths(words []string) map[int]int {
	byLen := make(map[int]int)
	for _, w := range words {
		byLen[len(w)]++
	}
	return byLen
}

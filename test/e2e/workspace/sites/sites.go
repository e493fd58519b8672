// Package sites makes many small maps: the growth panel's list must scroll to the one under the cursor.
package sites

import "strings"

// Counts counts words: a counting loop, which map-without-hint leaves alone on purpose.
func Counts(text string) map[string]int {
	counts := make(map[string]int)
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	return counts
}

// One is a literal followed by one write.
func One() map[string]bool {
	seen := map[string]bool{}
	seen["a"] = true
	return seen
}

// Tables makes a map per size class.
func Tables() []map[int]int {
	return []map[int]int{
		make(map[int]int, 100),
		make(map[int]int, 200),
		make(map[int]int, 300),
		make(map[int]int, 400),
		make(map[int]int, 500),
		make(map[int]int, 600),
		make(map[int]int, 700),
		make(map[int]int, 800),
		make(map[int]int, 900),
		make(map[int]int, 1000),
		make(map[int]int, 1100),
		make(map[int]int, 1200),
		make(map[int]int, 1300),
		make(map[int]int, 1400),
		make(map[int]int, 1500),
		make(map[int]int, 1600),
		make(map[int]int, 1700),
		make(map[int]int, 1800),
		make(map[int]int, 1900),
		make(map[int]int, 2000),
		make(map[int]int, 2100),
		make(map[int]int, 2200),
		make(map[int]int, 2300),
		make(map[int]int, 2400),
	}
}

// Last is the last map in the file.
func Last() map[int]string {
	last := make(map[int]string)
	for i := range 3000 {
		last[i] = "x"
	}
	return last
}

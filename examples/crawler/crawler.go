// Package crawler fetches pages in parallel. One of its functions lets the goroutines write a
// shared map with no lock, which crashes the program with "concurrent map writes".
package crawler

import "sync"

// Sizes returns the length of each page. Every goroutine writes sizes at once.
func Sizes(urls []string, fetch func(string) []byte) map[string]int {
	sizes := make(map[string]int, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sizes[u] = len(fetch(u))
		}()
	}
	wg.Wait()
	return sizes
}

// SafeSizes is fine: the mutex is held for every write.
func SafeSizes(urls []string, fetch func(string) []byte) map[string]int {
	sizes := make(map[string]int, len(urls))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := len(fetch(u))
			mu.Lock()
			sizes[u] = n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return sizes
}

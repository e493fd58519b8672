// Package inventory indexes stock records. Its indexes are built without capacity hints, which
// MapScope suggests, and one of them is already right.
package inventory

// Item is one stock record.
type Item struct {
	SKU   string
	Name  string
	Count int
}

// BySKU indexes items by SKU. The loop knows how many entries are coming (len(items)), but the
// map starts small and is rebuilt each time it fills up.
func BySKU(items []Item) map[string]Item {
	index := make(map[string]Item)
	for _, it := range items {
		index[it.SKU] = it
	}
	return index
}

// Positions maps each position in the list to its SKU: exactly len(skus) distinct keys.
func Positions(skus []string) map[int]string {
	pos := map[int]string{}
	for i, s := range skus {
		pos[i] = s
	}
	return pos
}

// Totals is fine: it counts, so the number of entries is the number of distinct names, which
// the loop does not know.
func Totals(items []Item) map[string]int {
	totals := make(map[string]int)
	for _, it := range items {
		totals[it.Name] += it.Count
	}
	return totals
}

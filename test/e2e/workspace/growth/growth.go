// Package growth builds lookup tables.
package growth

import "strconv"

// Labels maps the first 5000 ids to their labels.
func Labels() map[int]string {
	labels := make(map[int]string)
	for id := range 5000 {
		labels[id] = "id-" + strconv.Itoa(id)
	}
	return labels
}

// Units is small and never grows.
var Units = map[string]int{"KB": 1 << 10, "MB": 1 << 20}

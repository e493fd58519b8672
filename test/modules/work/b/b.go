package b

// Table is found through go.work.
type Table map[string][]string

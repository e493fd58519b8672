// Package report builds titled reports. Its constructor forgets one of the maps, and its
// reset method works on a copy.
package report

type Report struct {
	Title    string
	Sections map[string]string
	Tags     map[string]bool
}

type Builder struct {
	seen map[string]int
}

// reset has a value receiver: it initialises a copy of the Builder, never the caller's.
func (b Builder) reset() {
	b.seen = make(map[string]int)
}

// New returns a report with one section.
func New(title, intro string) *Report {
	r := &Report{Title: title, Tags: map[string]bool{}}
	r.Sections["intro"] = intro
	r.Tags["draft"] = true
	return r
}

// Count counts how often each title occurs.
func Count(titles []string) int {
	var b Builder
	b.reset()
	for _, t := range titles {
		b.seen[t]++
	}
	return len(b.seen)
}

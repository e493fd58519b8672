package config

import "example.com/Dep/sub"

// Options is filled by the command.
type Options struct {
	Labels map[string]string
	Extra  sub.Counts
}

package config

// TestOnly is not part of the package another package imports.
type TestOnly struct{}

package config

// WindowsOnly is not part of the package on linux.
type WindowsOnly struct{}

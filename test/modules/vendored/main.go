package main

import "example.com/v"

func main() { _ = v.V{} }

package main

import (
	"example.com/app/config"
	loc "example.com/local"
	"fmt"
)

func main() {
	var cfg config.Options
	cfg.Labels["a"] = "b"
	fmt.Println(cfg, loc.L{})
}

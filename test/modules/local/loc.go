package loc

// L is declared in a package whose name is not its directory's.
type L struct{ M map[int]int }

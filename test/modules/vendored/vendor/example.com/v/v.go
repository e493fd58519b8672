package v

// V comes from vendor/.
type V struct{ Seen map[string]bool }

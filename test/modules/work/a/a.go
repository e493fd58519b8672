package a

import "example.com/b"

var Registry b.Table

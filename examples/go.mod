module example.com/mapscope-examples

go 1.23

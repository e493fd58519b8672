module mapscope.dev/bench/census

go 1.22

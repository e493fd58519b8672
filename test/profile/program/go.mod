module mapscope.dev/profile/program

go 1.19

module mapscope.dev/oracle/probe

go 1.19

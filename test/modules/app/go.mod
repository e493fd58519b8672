module example.com/app

go 1.22

require (
	example.com/Dep v1.2.3
	example.com/local v0.0.0
	example.com/missing v0.1.0 // not in any module cache: stays unknown
)

replace example.com/local => ../local

// Command census finds the "textbook" sites of a hintless map fill in Go source, with go/parser
// only (no type checking), as a yardstick for map-without-hint that shares no code with it: a
// `make(map[K]V)` without a size or an empty `map[K]V{}`, assigned to a local (`m := …`,
// `var m = …`, `m = …`), followed later in the same block by a `range` loop whose body writes
// `m[key] = value` at its top level before any statement that may skip it. Test files, generated
// files (Go's `// Code generated … DO NOT EDIT.` header) and testdata/vendor directories are left
// out, as the go command leaves them out of a build.
//
//	go run ./bench/census DIR... > sites.jsonl
//
// prints one JSON object per site: {"file", "line", "col", "kind"} with the position of the make
// call or the literal (1-based line, 1-based byte column, as go vet prints) and kind "make" or
// "literal", and "aggregate": true where the write reads the map as well (`m[k] = append(m[k],
// v)`): a grouping or counting loop, whose map holds as many entries as there are distinct keys.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

type site struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Kind string `json:"kind"`
	// Aggregate: the write reads the map too (`m[k] = append(m[k], v)`, `m[k] = m[k] + 1`): the
	// map holds as many entries as there are distinct keys, which the loop's count only bounds.
	Aggregate bool `json:"aggregate,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: census DIR...")
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // an unreadable directory is not a site
			}
			name := d.Name()
			if d.IsDir() {
				if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				return nil
			}
			for _, s := range sitesIn(path) {
				if err := out.Encode(s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func sitesIn(path string) []site {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || ast.IsGenerated(f) {
		return nil
	}
	var sites []site
	ast.Inspect(f, func(n ast.Node) bool {
		var list []ast.Stmt
		switch b := n.(type) {
		case *ast.BlockStmt:
			list = b.List
		case *ast.CaseClause:
			list = b.Body
		case *ast.CommClause:
			list = b.Body
		default:
			return true
		}
		for i, st := range list {
			name, made := hintless(st)
			if made == nil {
				continue
			}
			if fill, aggregate := followedByFill(name, list[i+1:]); fill {
				p := fset.Position(made.Pos())
				kind := "make"
				if _, ok := made.(*ast.CompositeLit); ok {
					kind = "literal"
				}
				sites = append(sites, site{File: path, Line: p.Line, Col: p.Column, Kind: kind, Aggregate: aggregate})
			}
		}
		return true
	})
	return sites
}

// hintless returns the variable a statement assigns a hintless map to, and the creation.
func hintless(st ast.Stmt) (string, ast.Expr) {
	var lhs []ast.Expr
	var rhs []ast.Expr
	switch s := st.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE && s.Tok != token.ASSIGN {
			return "", nil
		}
		lhs, rhs = s.Lhs, s.Rhs
	case *ast.DeclStmt:
		g, ok := s.Decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || len(g.Specs) != 1 {
			return "", nil
		}
		v := g.Specs[0].(*ast.ValueSpec)
		for _, n := range v.Names {
			lhs = append(lhs, n)
		}
		rhs = v.Values
	default:
		return "", nil
	}
	if len(lhs) != 1 || len(rhs) != 1 {
		return "", nil
	}
	id, ok := lhs[0].(*ast.Ident)
	if !ok || id.Name == "_" {
		return "", nil
	}
	switch e := rhs[0].(type) {
	case *ast.CallExpr:
		if fn, ok := e.Fun.(*ast.Ident); ok && fn.Name == "make" && len(e.Args) == 1 {
			if _, ok := e.Args[0].(*ast.MapType); ok {
				return id.Name, e
			}
		}
	case *ast.CompositeLit:
		if _, ok := e.Type.(*ast.MapType); ok && len(e.Elts) == 0 {
			return id.Name, e
		}
	}
	return "", nil
}

// followedByFill reports whether a later statement of the block is a range loop whose body
// writes name[key] = value at its top level before anything that may skip the write, and whether
// that write reads the map too. The scan stops where the variable is assigned again.
func followedByFill(name string, rest []ast.Stmt) (fill, aggregate bool) {
	for _, st := range rest {
		if reassigns(st, name) {
			return false, false
		}
		r, ok := st.(*ast.RangeStmt)
		if !ok {
			continue
		}
		if w := writeIn(r.Body.List, name); w != nil {
			return true, readsName(w.Rhs, name)
		}
	}
	return false, false
}

func readsName(exprs []ast.Expr, name string) bool {
	found := false
	for _, e := range exprs {
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == name {
				found = true
			}
			return !found
		})
	}
	return found
}

func reassigns(st ast.Stmt, name string) bool {
	switch s := st.(type) {
	case *ast.AssignStmt:
		for _, l := range s.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				return true
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok {
			for _, sp := range g.Specs {
				if v, ok := sp.(*ast.ValueSpec); ok {
					for _, n := range v.Names {
						if n.Name == name {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// writeIn returns the top-level statement of the body that is `name[k] = v`, if no statement
// before it holds a jump that may leave this iteration (a continue, break or goto aimed at this
// loop or beyond, or a return).
func writeIn(body []ast.Stmt, name string) *ast.AssignStmt {
	for _, st := range body {
		if a, ok := st.(*ast.AssignStmt); ok && a.Tok == token.ASSIGN {
			for _, l := range a.Lhs {
				if ix, ok := l.(*ast.IndexExpr); ok {
					if id, ok := ix.X.(*ast.Ident); ok && id.Name == name {
						return a
					}
				}
			}
		}
		if mayLeave(st) {
			return nil
		}
	}
	return nil
}

// mayLeave reports whether a statement of the loop body holds a jump that may skip the rest of
// the iteration: a return or goto anywhere, a labeled break or continue (it may aim at this loop
// or an outer one), an unlabeled continue outside nested loops, an unlabeled break outside nested
// loops, switches and selects.
func mayLeave(st ast.Stmt) bool {
	leaves := false
	var walk func(n ast.Node, inLoop, inBreakable bool)
	walk = func(n ast.Node, inLoop, inBreakable bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if leaves || c == nil {
				return false
			}
			if c == n {
				return true
			}
			switch x := c.(type) {
			case *ast.FuncLit:
				return false // its jumps are its own
			case *ast.ReturnStmt:
				leaves = true
			case *ast.BranchStmt:
				switch {
				case x.Tok == token.GOTO, x.Label != nil && x.Tok != token.FALLTHROUGH:
					leaves = true
				case x.Tok == token.CONTINUE && !inLoop:
					leaves = true
				case x.Tok == token.BREAK && !inBreakable:
					leaves = true
				}
			case *ast.ForStmt, *ast.RangeStmt:
				walk(c, true, true)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(c, inLoop, true)
				return false
			}
			return true
		})
	}
	walk(st, false, false)
	return leaves
}

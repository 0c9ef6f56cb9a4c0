package osallisuus_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
)

// reasonDirs are the domain packages (with their sub-packages) whose refusal reasons the
// kernel's catalog must speak.
var reasonDirs = []string{"participation", "panel", "expert", "feedback"}

// hostReasons are conversions to osallisuus.Reason of values the library does not own, so
// the catalog cannot have texts for them: "package.function: expression". Each one is
// documented here and skipped; any other conversion the parser cannot resolve fails.
var hostReasons = map[string]string{
	// P3: the host's EligibilityChecker returns its own codes ("not a current customer of
	// the family centre", ...); they follow "ineligible" in the refusal as given.
	"panel.ineligible: osallisuus.Reason(r)": "the host's eligibility codes (panel.md P3)",
}

// TestEveryReasonHasItsOwnText parses the non-test Go source of the domain packages and
// checks that every reason code they can put in a refusal has its own catalog text in
// Finnish, Swedish and English, not the generic "a rule refuses the step".
//
// A code is seen when it is a string literal
//   - in a const or var declaration of type osallisuus.Reason or of a package type that is
//     osallisuus.Reason (participation.Reason);
//   - in a []osallisuus.Reason{...} or [...]osallisuus.Reason{...} composite literal;
//   - converted, osallisuus.Reason("code");
//   - passed to osallisuus.Refuse, or to a package function whose parameter is a reason;
//   - returned from a package function whose result is a reason.
//
// A conversion of a value, osallisuus.Reason(c.State), is how panel and activities use a
// state as the reason of a conflict. The test resolves the value's type from the source:
// a field x.F takes every package struct field named F, an identifier its parameter or
// its declaration from a package function's result or a constant; every string constant
// of the resulting named types counts as a code (an over-approximation: a panel's every
// state, even one no rule names, needs a text). A conversion it cannot resolve fails the
// test unless hostReasons lists it.
//
// Not seen: a reason written as a string literal into a struct field of reason type
// (Decision{Reason: "granted"}), assigned to such a field or variable after its
// declaration, or built at run time from text (other than the hostReasons). The packages
// do not build refusals that way today (they use their Reason constants); a new code
// written like that is not checked by this test.
func TestEveryReasonHasItsOwnText(t *testing.T) {
	found := collectReasons(t, reasonDirs)

	// The parser must find the codes of every kind of source, or the test proves nothing.
	for code, how := range map[string]string{
		"granted":              "a constant of type participation.Reason",
		"full":                 "a constant of type osallisuus.Reason",
		"not-staff":            "a []osallisuus.Reason literal",
		"chair-taken":          "a panel constant",
		"published":            "a feedback constant",
		"earnings-cap":         "an expert constant",
		"waitlisted":           "a panel membership state converted to a reason",
		"absent":               "an activity record status converted to a reason",
		"principal-ended":      "a panel end reason converted to a reason",
		"implemented":          "a proposal state converted to a reason",
		"assignment-not-found": "an expert constant",
	} {
		assert.Contains(t, found, code, "the parser should find %q (%s)", code, how)
	}

	tags := []language.Tag{osallisuus.Finnish, osallisuus.Swedish, osallisuus.English}
	var missing []string
	for _, code := range slices.Sorted(maps.Keys(found)) {
		for _, tag := range tags {
			generic := osallisuus.LocalizeReason("no-such-reason-code-for-the-test", tag)
			if osallisuus.LocalizeReason(osallisuus.Reason(code), tag) == generic {
				missing = append(missing, fmt.Sprintf("%s (%s) used at %s", code, tag, found[code]))
			}
		}
	}
	assert.Empty(t, missing, "reason codes without their own catalog text in message.go:\n%s", strings.Join(missing, "\n"))
}

func TestLocalizeReadsAConflictStateAsTheState(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		tag  language.Tag
		want string
	}{
		{"a withdrawn proposal is a conflict about the proposal, not about consent",
			osallisuus.Refuse(osallisuus.ErrConflict, "withdrawn"), osallisuus.Finnish,
			"Tieto on muuttunut tai on jo olemassa: aloite tai hakemus on peruttu"},
		{"withdrawn consent keeps its consent text",
			osallisuus.Refuse(osallisuus.ErrForbidden, "withdrawn"), osallisuus.Swedish,
			"Åtgärden är inte tillåten: samtycket har återkallats"},
		{"a full panel says the places are full",
			osallisuus.Refuse(osallisuus.ErrCapacity, "full"), osallisuus.Finnish,
			"Raja on täynnä: paikat ovat täynnä"},
		{"a closed panel names the state",
			osallisuus.Refuse(osallisuus.ErrConflict, "closed"), osallisuus.English,
			"The data changed or already exists: the panel is closed or the call has closed"},
		{"several reasons are joined in order",
			osallisuus.Refuse(osallisuus.ErrForbidden, "ineligible", "no-assent"), osallisuus.Swedish,
			"Åtgärden är inte tillåten: personen uppfyller inte villkoren för medlemskap i kundrådet; barnets egen vilja att delta har inte antecknats"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, osallisuus.Localize(tc.err, tc.tag))
		})
	}
	assert.Equal(t, "consent was withdrawn", osallisuus.LocalizeReason("withdrawn", osallisuus.English),
		"LocalizeReason has no kind and keeps the consent text")
}

// pkgSource is one parsed package directory.
type pkgSource struct {
	dir   string // directory from the module root, e.g. "panel/paneltest"
	name  string // package name, e.g. "paneltest"
	files []*ast.File
}

const modulePath = "github.com/osallisuus/osallisuus/"

// collectReasons returns every reason code found in the non-test sources under dirs,
// each with the first place it was seen.
func collectReasons(t *testing.T, dirs []string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	var pkgs []*pkgSource
	for _, dir := range dirs {
		byDir := map[string]*pkgSource{}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			p := byDir[filepath.Dir(path)]
			if p == nil {
				p = &pkgSource{dir: filepath.ToSlash(filepath.Dir(path)), name: f.Name.Name}
				byDir[filepath.Dir(path)] = p
			}
			p.files = append(p.files, f)
			return nil
		})
		require.NoError(t, err)
		for _, k := range slices.Sorted(maps.Keys(byDir)) {
			pkgs = append(pkgs, byDir[k])
		}
	}
	require.NotEmpty(t, pkgs)

	// Pass 1: the package types that are osallisuus.Reason (alias or definition), by
	// "package.Type", so that panel's participation.Reason counts too.
	reasonTypes := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.TYPE {
					continue
				}
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					if isSelector(ts.Type, "osallisuus", "Reason") {
						reasonTypes[p.name+"."+ts.Name.Name] = true
					}
				}
			}
		}
	}

	found := map[string]string{}
	all := map[string]*collector{}
	for _, p := range pkgs {
		c := &collector{fset: fset, pkg: p, reasonTypes: reasonTypes, found: found, all: all}
		c.index()
		all[p.dir] = c
	}
	var unresolved []string
	for _, p := range pkgs {
		c := all[p.dir]
		c.collect()
		unresolved = append(unresolved, c.unresolved...)
	}
	assert.Empty(t, unresolved, "conversions to osallisuus.Reason whose type the test cannot see; "+
		"teach collector.resolve the form or list it in hostReasons:\n%s", strings.Join(unresolved, "\n"))
	return found
}

// collector finds the reason codes of one package.
type collector struct {
	fset        *token.FileSet
	pkg         *pkgSource
	reasonTypes map[string]bool
	found       map[string]string
	all         map[string]*collector // by directory

	imports    map[string]string     // package name -> directory, for the module's packages
	consts     map[string]string     // constant name -> string value
	typeConsts map[string][]string   // named type -> its string constants
	fields     map[string][]ast.Expr // struct field name -> field types
	funcs      map[string][]*ast.FuncDecl
	unresolved []string
}

// qualified names the type expression t as "directory.Type" when it is a named type of
// one of the scanned packages, "" otherwise.
func (c *collector) qualified(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		return c.pkg.dir + "." + t.Name
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok && c.imports[x.Name] != "" {
			return c.imports[x.Name] + "." + t.Sel.Name
		}
	}
	return ""
}

// constsOf returns the string constants of a qualified type.
func (c *collector) constsOf(q string) []string {
	i := strings.LastIndex(q, ".")
	if i < 0 || c.all[q[:i]] == nil {
		return nil
	}
	return c.all[q[:i]].typeConsts[q[i+1:]]
}

// isReason reports whether the type expression e is osallisuus.Reason or a package type
// that is it.
func (c *collector) isReason(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return c.reasonTypes[c.pkg.name+"."+e.Name]
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && (x.Name == "osallisuus" && e.Sel.Name == "Reason" || c.reasonTypes[x.Name+"."+e.Sel.Name])
	case *ast.Ellipsis:
		return c.isReason(e.Elt)
	}
	return false
}

func (c *collector) add(lit ast.Expr) {
	b, ok := lit.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return
	}
	s, err := strconv.Unquote(b.Value)
	if err != nil || s == "" { // "" is "no reason"
		return
	}
	if _, seen := c.found[s]; !seen {
		c.found[s] = c.fset.Position(b.Pos()).String()
	}
}

// index records the package's constants, struct fields and functions.
func (c *collector) index() {
	c.consts, c.typeConsts = map[string]string{}, map[string][]string{}
	c.fields, c.funcs = map[string][]ast.Expr{}, map[string][]*ast.FuncDecl{}
	c.imports = map[string]string{}
	for _, f := range c.pkg.files {
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if dir, ok := strings.CutPrefix(path, modulePath); ok {
				name := dir[strings.LastIndex(dir, "/")+1:]
				if im.Name != nil {
					name = im.Name.Name
				}
				c.imports[name] = dir
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				c.funcs[d.Name.Name] = append(c.funcs[d.Name.Name], d)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						if d.Tok != token.CONST {
							continue
						}
						for i, n := range s.Names {
							if i >= len(s.Values) {
								break
							}
							b, ok := s.Values[i].(*ast.BasicLit)
							if !ok || b.Kind != token.STRING {
								continue
							}
							v, _ := strconv.Unquote(b.Value)
							c.consts[n.Name] = v
							if id, ok := s.Type.(*ast.Ident); ok && v != "" {
								c.typeConsts[id.Name] = append(c.typeConsts[id.Name], v)
							}
						}
					case *ast.TypeSpec:
						st, ok := s.Type.(*ast.StructType)
						if !ok {
							continue
						}
						for _, fl := range st.Fields.List {
							for _, n := range fl.Names {
								c.fields[n.Name] = append(c.fields[n.Name], fl.Type)
							}
						}
					}
				}
			}
		}
	}
}

// collect walks the package and records every code it sees.
func (c *collector) collect() {
	for _, f := range c.pkg.files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok && vs.Type != nil && c.isReason(vs.Type) {
						for _, v := range vs.Values {
							c.add(v)
						}
					}
				}
				ast.Inspect(d, func(n ast.Node) bool { c.visit(nil, n); return true })
			case *ast.FuncDecl:
				ast.Inspect(d, func(n ast.Node) bool { c.visit(d, n); return true })
			}
		}
	}
}

func (c *collector) visit(fn *ast.FuncDecl, n ast.Node) {
	switch n := n.(type) {
	case *ast.CompositeLit:
		if at, ok := n.Type.(*ast.ArrayType); ok && c.isReason(at.Elt) {
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				c.add(e)
			}
		}
	case *ast.GenDecl: // local const and var declarations
		for _, s := range n.Specs {
			if vs, ok := s.(*ast.ValueSpec); ok && vs.Type != nil && c.isReason(vs.Type) {
				for _, v := range vs.Values {
					c.add(v)
				}
			}
		}
	case *ast.ReturnStmt:
		if fn == nil || fn.Type.Results == nil {
			return
		}
		results := fieldTypes(fn.Type.Results)
		if len(results) == len(n.Results) {
			for i, r := range n.Results {
				if c.isReason(results[i]) {
					c.add(r)
				}
			}
		}
	case *ast.CallExpr:
		c.call(fn, n)
	}
}

func (c *collector) call(fn *ast.FuncDecl, n *ast.CallExpr) {
	switch {
	case c.isReason(n.Fun) && len(n.Args) == 1: // a conversion
		arg := n.Args[0]
		if b, ok := arg.(*ast.BasicLit); ok {
			c.add(b)
			return
		}
		c.convert(fn, arg)
	case isSelector(n.Fun, "osallisuus", "Refuse"):
		for _, a := range n.Args[1:] {
			c.add(a)
		}
	default:
		id, ok := n.Fun.(*ast.Ident)
		if !ok {
			return
		}
		for _, callee := range c.funcs[id.Name] {
			if callee.Recv != nil {
				continue
			}
			params := fieldTypes(callee.Type.Params)
			for i, a := range n.Args {
				j := min(i, len(params)-1)
				if j < 0 {
					break
				}
				if _, variadic := params[j].(*ast.Ellipsis); (i == j || variadic) && c.isReason(params[j]) {
					c.add(a)
				}
			}
		}
	}
}

// convert records the codes a conversion osallisuus.Reason(arg) of a value can give.
func (c *collector) convert(fn *ast.FuncDecl, arg ast.Expr) {
	where := c.pkg.name + "." + funcName(fn) + ": osallisuus.Reason(" + exprString(arg) + ")"
	if _, ok := hostReasons[where]; ok {
		return
	}
	var codes []string
	for _, typ := range c.resolve(fn, arg) {
		codes = append(codes, c.constsOf(typ)...)
	}
	if id, ok := arg.(*ast.Ident); ok {
		if v, ok := c.consts[id.Name]; ok && v != "" {
			codes = append(codes, v)
		}
	}
	if len(codes) == 0 {
		c.unresolved = append(c.unresolved, c.fset.Position(arg.Pos()).String()+": "+where)
		return
	}
	for _, code := range codes {
		if _, seen := c.found[code]; !seen {
			c.found[code] = c.fset.Position(arg.Pos()).String() + " (" + exprString(arg) + ")"
		}
	}
}

// resolve returns the qualified names of the package types the value e may have.
func (c *collector) resolve(fn *ast.FuncDecl, e ast.Expr) []string {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return c.resolve(fn, e.X)
	case *ast.SelectorExpr: // x.F: every struct field named F, here and in imported packages
		owners := []*collector{c}
		for _, dir := range slices.Sorted(maps.Values(c.imports)) {
			if o := c.all[dir]; o != nil {
				owners = append(owners, o)
			}
		}
		var out []string
		for _, o := range owners {
			for _, t := range o.fields[e.Sel.Name] {
				if q := o.qualified(t); q != "" {
					out = append(out, q)
				}
			}
		}
		return out
	case *ast.Ident:
		if fn == nil {
			return nil
		}
		for _, fl := range fieldList(fn.Recv, fn.Type.Params, fn.Type.Results) {
			for _, n := range fl.Names {
				if n.Name == e.Name {
					return []string{c.qualified(fl.Type)}
				}
			}
		}
		var out []string
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || as.Tok != token.DEFINE || len(as.Rhs) != 1 {
				return true
			}
			for i, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == e.Name {
					out = append(out, c.resultType(fn, as.Rhs[0], i)...)
				}
			}
			return true
		})
		return out
	}
	return nil
}

// resultType returns the type names of result i of the expression rhs of a := in fn:
// a call of a package function or method, or a field.
func (c *collector) resultType(fn *ast.FuncDecl, rhs ast.Expr, i int) []string {
	call, ok := rhs.(*ast.CallExpr)
	if !ok {
		if i == 0 {
			return c.resolve(fn, rhs)
		}
		return nil
	}
	var name string
	switch f := call.Fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	default:
		return nil
	}
	var out []string
	for _, callee := range c.funcs[name] {
		if rs := fieldTypes(callee.Type.Results); i < len(rs) {
			out = append(out, c.qualified(rs[i]))
		}
	}
	return out
}

func isSelector(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := s.X.(*ast.Ident)
	return ok && x.Name == pkg && s.Sel.Name == name
}

// fieldTypes returns the type of each parameter or result, one per name.
func fieldTypes(fl *ast.FieldList) []ast.Expr {
	if fl == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range fl.List {
		for range max(1, len(f.Names)) {
			out = append(out, f.Type)
		}
	}
	return out
}

func fieldList(lists ...*ast.FieldList) []*ast.Field {
	var out []*ast.Field
	for _, l := range lists {
		if l != nil {
			out = append(out, l.List...)
		}
	}
	return out
}

func funcName(fn *ast.FuncDecl) string {
	if fn == nil {
		return "(package)"
	}
	return fn.Name.Name
}

// exprString renders the simple expressions a conversion takes: names and selectors.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.ParenExpr:
		return "(" + exprString(e.X) + ")"
	case *ast.CallExpr:
		return exprString(e.Fun) + "(...)"
	}
	return fmt.Sprintf("%T", e)
}

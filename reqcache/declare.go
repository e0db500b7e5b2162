package reqcache

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/reqcache/reqcache/internal/keytype"
	"github.com/reqcache/reqcache/region"
)

// method is the untyped description of a cached method, checked when the
// method is made.
type method struct {
	name     string
	region   *region.Info
	params   []*region.ParamInfo // the arguments', then those derived from the result
	nargs    int
	idArgs   []int // the arguments that are the entry's IDs
	cacheErr func(error) bool
	verify   float64                               // the share of hits verify mode re-reads; < 0: the Cache's
	find     func(c *Cache, args []any) *entryBase // the entry of a call in c, or nil
	coalesce *Coalescing                           // CacheBatch: how GetOne calls gather; nil: they do not

	shallowRefresh bool          // Refresh reloads the call alone (see ShallowRefresh)
	maxAge         time.Duration // MaxAge; 0: none
	maxIdle        time.Duration // MaxIdleTime; 0: none
}

// indexed reports whether the cache indexes the entries of the method by
// their i-th parameter. A filter that gives every argument finds its entry
// by its key, so a method of one argument needs no index of it.
func (m *method) indexed(i int) bool {
	return i >= m.nargs || m.nargs > 1
}

// declaration is what a constructor knows of the method it wraps.
type declaration struct {
	region   *region.Info
	fn       any                 // the wrapped function, for its name
	args     []*region.ParamInfo // one per argument
	argTypes []reflect.Type      // one per argument
	result   reflect.Type        // V
	batch    bool                // a batch method: its one argument is the key
	notKey   *string             // Cache*NotKey: the name of the last argument, no part of the key ("" if nil)
}

// newMethod checks a declaration and its options, and panics with a message
// that names the method and the parameter at the first mistake.
func newMethod(d declaration, opts []Option) (*method, *config) {
	var cfg config
	for _, o := range opts {
		if o == nil {
			panic(fmt.Sprintf("reqcache: %s: nil Option", nameOf(d.fn, "")))
		}
		o(&cfg)
	}
	if cfg.keyParam != nil && d.batch {
		d.args = []*region.ParamInfo{cfg.keyParam}
	}
	m := &method{name: nameOf(d.fn, cfg.name), region: d.region, cacheErr: cfg.cacheErr, verify: -1, shallowRefresh: cfg.shallowRefresh}
	if cfg.verify != nil {
		m.verify = *cfg.verify
	}
	if err := m.check(d, &cfg); err != nil {
		panic(err.Error())
	}
	return m, &cfg
}

func (m *method) check(d declaration, cfg *config) error {
	if v := reflect.ValueOf(d.fn); v.Kind() != reflect.Func || v.IsNil() {
		return m.errorf("nil function")
	}
	if d.region == nil {
		return m.errorf("nil region")
	}
	for i, t := range d.argTypes {
		if p := keytype.Problem(t); p != "" && (i >= len(d.args) || d.args[i] == nil || !d.args[i].Keyed()) {
			return m.errorf("argument %d of type %v cannot key a cache: %s; declare its parameter with region.NewParamKey", i+1, t, p)
		}
	}
	if cfg.coalesce != nil {
		if !d.batch {
			return m.errorf("Coalesce is for batch methods: CacheBatch, or Func1.Batch")
		}
		if err := m.checkCoalesce(cfg.coalesce); err != nil {
			return err
		}
		m.coalesce = cfg.coalesce
	}
	if cfg.keyParam != nil && !d.batch {
		return m.errorf("KeyParam(%s) is for CacheBatch; declare the parameters of other methods as their arguments", cfg.keyParam)
	}
	for i, p := range d.args {
		if p == nil {
			return m.errorf("parameter of argument %d is nil", i+1)
		}
		if p.Type() != d.argTypes[i] {
			return m.errorf("parameter %s of argument %d has type %v, but the argument has type %v", p, i+1, p.Type(), d.argTypes[i])
		}
		if j := m.paramIndex(p); j >= 0 {
			return m.errorf("parameter %s declared twice (arguments %d and %d)", p, j+1, i+1)
		}
		m.params = append(m.params, p)
	}
	m.nargs = len(m.params)
	if err := m.checkNotKey(d); err != nil {
		return err
	}
	for _, p := range cfg.idParams {
		if err := m.checkIDParam(p); err != nil {
			return err
		}
	}
	for _, rf := range cfg.results {
		if err := m.checkResult(d, rf); err != nil {
			return err
		}
	}
	if cfg.noCache != nil && cfg.noCacheOf != d.result {
		return m.errorf("NoCacheIf takes a func(%v) bool, but the method returns %v", cfg.noCacheOf, d.result)
	}
	if cfg.equal != nil && cfg.equalOf != d.result {
		return m.errorf("Equal takes a func(%v, %v) bool, but the method returns %v", cfg.equalOf, cfg.equalOf, d.result)
	}
	if err := m.checkExpiry(cfg); err != nil {
		return err
	}
	if cfg.verify != nil && (*cfg.verify < 0 || *cfg.verify > 1) {
		return m.errorf("VerifyShare(%v): the share must be from 0 to 1", *cfg.verify)
	}
	if d.region.Strict() {
		for _, p := range d.region.StrictParams() {
			if m.paramIndex(p) < 0 {
				return m.errorf("region %s is strict and matches on parameter %s, which the method neither takes nor derives from its result (see ParamFromResult)", d.region, p)
			}
		}
	}
	return nil
}

// checkNotKey checks the argument that a Cache*NotKey method leaves out of
// its key: it comes after the keyed arguments, and shares no name with them.
func (m *method) checkNotKey(d declaration) error {
	if d.notKey == nil {
		return nil
	}
	i := len(d.args) + 1
	if *d.notKey == "" {
		return m.errorf("not-key argument %d is nil", i)
	}
	for j, p := range d.args {
		if p.Name() == *d.notKey {
			return m.errorf("parameter %s of argument %d and not-key argument %d share the name %q", p, j+1, i, p.Name())
		}
	}
	return nil
}

func (m *method) checkIDParam(p *region.ParamInfo) error {
	i := m.paramIndex(p)
	switch {
	case p == nil:
		return m.errorf("IDFromParam of a nil parameter")
	case i < 0 || i >= m.nargs:
		return m.errorf("ID parameter %s is not a parameter of the method", p)
	case p.Type() != m.region.IDType():
		return m.errorf("ID parameter %s has type %v, but region %s has IDs of type %v", p, p.Type(), m.region, m.region.IDType())
	}
	for _, j := range m.idArgs {
		if j == i {
			return m.errorf("ID parameter %s declared twice", p)
		}
	}
	m.idArgs = append(m.idArgs, i)
	return nil
}

func (m *method) checkResult(d declaration, rf resultFunc) error {
	if rf.result != d.result {
		return m.errorf("%s takes a func(%v), but the method returns %v", rf.option, rf.result, d.result)
	}
	switch rf.kind {
	case resultIDs:
		if rf.id != m.region.IDType() {
			return m.errorf("%s returns IDs of type %v, but region %s has IDs of type %v", rf.option, rf.id, m.region, m.region.IDType())
		}
	case resultParam:
		if rf.param == nil {
			return m.errorf("ParamFromResult of a nil parameter")
		}
		if m.paramIndex(rf.param) >= 0 {
			return m.errorf("parameter %s declared twice (as an argument or result parameter, and by ParamFromResult)", rf.param)
		}
		m.params = append(m.params, rf.param)
	}
	return nil
}

// paramIndex returns the index of p in m.params, or -1.
func (m *method) paramIndex(p *region.ParamInfo) int {
	for i, q := range m.params {
		if q == p {
			return i
		}
	}
	return -1
}

func (m *method) errorf(format string, args ...any) error {
	return fmt.Errorf("reqcache: %s: "+format, append([]any{m.name}, args...)...)
}

// nameOf returns name, or the name of the function fn without its package
// path, as in "sqlrepo.(*Repo).GetCustomerByID".
func nameOf(fn any, name string) string {
	if name != "" {
		return name
	}
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return "<nil func>"
	}
	f := runtime.FuncForPC(v.Pointer())
	if f == nil {
		return "<unknown func>"
	}
	full := strings.TrimSuffix(f.Name(), "-fm")
	if i := strings.LastIndexByte(full, '/'); i >= 0 {
		full = full[i+1:]
	}
	return full
}

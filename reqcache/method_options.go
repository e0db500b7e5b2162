package reqcache

import (
	"reflect"
	"time"

	"github.com/reqcache/reqcache/region"
)

// An Option configures a cached method when it is made, as region.Option
// configures a region.
type Option func(*config)

// config collects the options of one cached method. The result functions
// are typed by the options that make them; newEngine checks that their
// types fit the method.
type config struct {
	name      string
	idParams  []*region.ParamInfo
	keyParam  *region.ParamInfo // CacheBatch: the parameter of the key
	results   []resultFunc
	cacheErr  func(error) bool
	verify    *float64
	noCache   any // func(V) bool
	noCacheOf reflect.Type
	equal     any // func(V, V) bool
	equalOf   reflect.Type
	coalesce  *Coalescing
	maxAge    *time.Duration // MaxAge
	maxIdle   *time.Duration // MaxIdleTime

	shallowRefresh bool
}

// isZero reports whether no option set anything in c.
func (c *config) isZero() bool {
	return reflect.ValueOf(c).Elem().IsZero()
}

type resultKind int

const (
	resultIDs resultKind = iota
	resultTags
	resultParam
)

// resultFunc is something an entry takes from its result: its IDs, tags,
// or the value of a parameter.
type resultFunc struct {
	kind   resultKind
	option string       // the option's name, for messages
	result reflect.Type // the result type the function takes
	id     reflect.Type // resultIDs: the ID type
	param  *region.ParamInfo
	f      any // func(V, func(any)) for IDs, func(V) []region.Tag, func(V) any
}

// Name names the method in stats, logs and error messages. By default the
// name is taken from the wrapped function, as in "(*Repo).GetCustomerByID".
func Name(name string) Option {
	return Option(func(c *config) { c.name = name })
}

// IDFromParam gives each entry the unique ID held by the argument declared
// as p. p must be one of the method's parameters, and its type the ID type
// of the method's region.
func IDFromParam[K comparable](p *region.Param[K]) Option {
	return Option(func(c *config) { c.idParams = append(c.idParams, p.Info()) })
}

// IDFromResult gives each entry the unique ID that id returns for the
// entry's value. id is not called for errors.
func IDFromResult[V any, K comparable](id func(V) K) Option {
	return Option(func(c *config) {
		c.results = append(c.results, resultFunc{
			kind: resultIDs, option: "IDFromResult",
			result: reflect.TypeFor[V](), id: reflect.TypeFor[K](),
			f: func(v V, emit func(any)) { emit(id(v)) },
		})
	})
}

// IDsFromResult gives each entry the unique IDs that ids returns for the
// entry's value, as for a method that returns a list of entities: the entry
// is removed when any of them is invalidated.
func IDsFromResult[V any, K comparable](ids func(V) []K) Option {
	return Option(func(c *config) {
		c.results = append(c.results, resultFunc{
			kind: resultIDs, option: "IDsFromResult",
			result: reflect.TypeFor[V](), id: reflect.TypeFor[K](),
			f: func(v V, emit func(any)) {
				for _, id := range ids(v) {
					emit(id)
				}
			},
		})
	})
}

// TagsFromResult tags each entry with the tags that tags returns for the
// entry's value: the entities of other regions the value depends on, such as
// an order's customer. Invalidating any of those IDs removes the entry.
func TagsFromResult[V any](tags func(V) []region.Tag) Option {
	return Option(func(c *config) {
		c.results = append(c.results, resultFunc{
			kind: resultTags, option: "TagsFromResult",
			result: reflect.TypeFor[V](), f: tags,
		})
	})
}

// ParamFromResult declares that the method's entries have the parameter p,
// with the value f returns for the entry's value, although p is not an
// argument: GetCustomerByID can declare the customer's preName, so that an
// invalidation by preName removes exactly the entries it should instead of
// every entry of the method. An entry that holds an error has no value and
// matches every value of p.
func ParamFromResult[V any, T comparable](p *region.Param[T], f func(V) T) Option {
	return Option(func(c *config) {
		c.results = append(c.results, resultFunc{
			kind: resultParam, option: "ParamFromResult",
			result: reflect.TypeFor[V](), param: p.Info(),
			f: func(v V) any { return f(v) },
		})
	})
}

// CacheErrors makes the method store the errors for which keep returns true,
// such as a not-found error, as it stores values. By default no error is
// stored. Errors of a context that ended are never stored, nor are panics.
func CacheErrors(keep func(error) bool) Option {
	return Option(func(c *config) { c.cacheErr = keep })
}

// KeyParam declares the parameter that the keys of a CacheBatch method are,
// so that an invalidation by p removes the entry of that key only. Without
// it, such an invalidation removes every entry of the batch method. Other
// methods declare their parameters as arguments, and refuse KeyParam.
func KeyParam[K comparable](p *region.Param[K]) Option {
	return func(c *config) { c.keyParam = p.Info() }
}

// VerifyShare sets the share of the method's hits, from 0 to 1, that verify
// mode re-reads, in place of Options.Verify: 0 leaves out a method whose
// function is too dear to call twice. It has no effect on a Cache not in
// verify mode.
func VerifyShare(share float64) Option {
	return func(c *config) { c.verify = &share }
}

// Equal sets how verify mode compares a cached value with a fresh one. By
// default it uses reflect.DeepEqual, which tells apart values that the
// method's users take as equal, such as times in two locations.
func Equal[V any](eq func(a, b V) bool) Option {
	return func(c *config) { c.equal, c.equalOf = eq, reflect.TypeFor[V]() }
}

// NoCacheIf makes the method hand out, without storing, the values for
// which skip returns true, such as a nil "not found" that is not an
// error: the caller and the waiters of the load get the value, and the
// next call loads again. Inside a function, DoNotCache does the same for
// one load.
func NoCacheIf[V any](skip func(V) bool) Option {
	return func(c *config) { c.noCache, c.noCacheOf = skip, reflect.TypeFor[V]() }
}

// ShallowRefresh makes Refresh of the method load its own call again, and
// no more: the cached calls its function makes answer from the cache, as
// in Get. By default Refresh is deep: those calls, and the calls their
// functions make, skip the cache as well and store what they load, so that
// a refreshed value is not assembled from the stale entries that made the
// caller refresh it. Choose ShallowRefresh for a method whose function
// calls cached methods that are dear to load and kept fresh by
// invalidation, such as a list whose membership may change but whose
// items' writes invalidate them. Inside another method's deep Refresh, the
// method's calls skip the cache whatever this option says.
func ShallowRefresh() Option {
	return func(c *config) { c.shallowRefresh = true }
}

// Package region is a stub of reqcache's region package: the declarations
// the analyzer looks at, with the same signatures.
package region

type Region[T any, K comparable] struct{}

func New[T any, K comparable](name string) *Region[T, K] { return &Region[T, K]{} }

func (r *Region[T, K]) Where(conds ...Cond) Filter { return Filter{} }

type Param[T comparable] struct{}

func NewParam[T comparable](name string) *Param[T] { return &Param[T]{} }

func (p *Param[T]) Is(v T) Cond { return Cond{} }

type Cond struct{}

type Filter struct{}

type Tag struct{}

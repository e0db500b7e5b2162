package reqcache

import (
	"fmt"
	"runtime/debug"
)

// A PanicError is the panic that a cached call raises when the load it
// waited for panicked. The goroutine whose function panicked panics again
// with the original value; every goroutine that waited for it panics with a
// *PanicError that carries the value and the stack where it was raised.
// Nothing is stored for a load that panicked.
type PanicError struct {
	// Value is the value the function panicked with.
	Value any
	// Stack is the stack of the goroutine that panicked, at the panic.
	Stack []byte
}

func newPanicError(v any) *PanicError {
	return &PanicError{Value: v, Stack: debug.Stack()}
}

// Error returns the panic value and the stack where it was raised.
func (p *PanicError) Error() string {
	return fmt.Sprintf("reqcache: cached function panicked: %v\n\n%s", p.Value, p.Stack)
}

// Unwrap returns the panic value if it is an error, and nil otherwise.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

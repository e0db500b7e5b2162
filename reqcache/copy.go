package reqcache

import "reflect"

// deepCopy returns a copy of v that shares no memory with it that could be
// changed through v: pointers, slices and maps are copied, as deep as they
// go. Functions, channels and unsafe pointers are shared: a copy cannot
// tell their changes. Cycles of pointers are copied once.
func deepCopy(v reflect.Value) reflect.Value {
	return copier{seen: map[uintptr]reflect.Value{}}.copy(v)
}

type copier struct {
	seen map[uintptr]reflect.Value // pointers copied, for cycles
}

func (cp copier) copy(v reflect.Value) reflect.Value {
	if !v.IsValid() {
		return v
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		if c, ok := cp.seen[v.Pointer()]; ok {
			return c
		}
		c := reflect.New(v.Type().Elem())
		cp.seen[v.Pointer()] = c
		c.Elem().Set(cp.copy(v.Elem()))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(cp.copy(v.Elem()))
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(cp.copy(v.Index(i)))
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), cp.copy(it.Value()))
		}
		return c
	case reflect.Array:
		c := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			c.Index(i).Set(cp.copy(v.Index(i)))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v) // unexported fields stay as they are: shared
		for i := range v.NumField() {
			if c.Field(i).CanSet() {
				c.Field(i).Set(cp.copy(v.Field(i)))
			}
		}
		return c
	}
	return v
}

// Package region is a package of the user whose name is that of reqcache's.
package region

type Point struct{ X, Y int }

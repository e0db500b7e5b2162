// Package region declares the parts of a request cache: one region per
// domain type, with the type of its unique IDs, and the typed parameters of
// the cached methods. Declarations are made once, at package level, and
// checked when they are made:
//
//	var (
//		Customers  = region.New[Customer, int64]("Customer")
//		CustomerID = region.NewParam[int64]("customerID")
//		PreName    = region.NewParam[string]("preName")
//	)
//
// The declarations also build what invalidations select: Customers.Tag(42)
// names the customer with ID 42, and Customers.Where(PreName.Is("Smith"))
// the Customer entries whose preName is Smith. Package reqcache wraps
// repository methods in cached methods of a region; package invalidate
// removes what a write touched.
package region

package expert

// RefMatch is the matching code before the pool, a test oracle.
var RefMatch = refMatch

package osallisuus

import "time"

// Clock tells the time. Services take one in their Config (nil means [SystemClock]); rules
// never do: they take `now` explicitly, so they stay pure and testable.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to [Clock], like http.HandlerFunc.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// FixedClock is a [Clock] that always returns the same instant; for tests and examples.
type FixedClock time.Time

// Now returns the fixed instant.
func (c FixedClock) Now() time.Time { return time.Time(c) }

// SystemClock returns the machine's clock. It is the only place the library reads the
// wall clock.
func SystemClock() Clock { return ClockFunc(time.Now) }

// ClockOrSystem returns c, or [SystemClock] when c is nil; services use it on their Config.
func ClockOrSystem(c Clock) Clock {
	if c == nil {
		return SystemClock()
	}
	return c
}

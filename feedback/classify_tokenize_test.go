package feedback

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestASCIIWordRunMatchesByteLoop checks asciiWordRun against tokenize's byte loop on
// eight-byte strings of every class border (the bytes around '0'-'9', 'A'-'Z', 'a'-'z',
// an apostrophe, a space, bytes of UTF-8 letters), and on random bytes.
func TestASCIIWordRunMatchesByteLoop(t *testing.T) {
	edges := []byte{0, ' ', '\'', '/', '0', '5', '9', ':', '@', 'A', 'M', 'Z', '[', '`', 'a', 'm', 'z', '{', 0x7F, 0x80, 0xA4,
		0xBF, 0xC3, 0xE2, 0xFF}
	r := rand.New(rand.NewPCG(3, 4))
	check := func(b [8]byte) {
		var n int
		var flags uint8
		for n < 8 {
			f := uint8(0)
			if b[n] < 0x80 {
				f = asciiClass[b[n]]
			}
			if f&classWord == 0 {
				break
			}
			flags |= f
			n++
		}
		x := uint64(0)
		for k := range b {
			x |= uint64(b[k]) << (8 * k)
		}
		gotN, gotFlags := asciiWordRun(x)
		require.Equal(t, n, gotN, "run of %q", b[:])
		require.Equal(t, flags, gotFlags, "classes of %q", b[:])
	}
	for range 200000 {
		var b [8]byte
		for k := range b {
			if r.IntN(4) == 0 {
				b[k] = byte(r.IntN(256))
			} else {
				b[k] = edges[r.IntN(len(edges))]
			}
		}
		// Runs of word bytes of every length before the first other byte.
		for k := r.IntN(8); k < 8 && r.IntN(3) > 0; k++ {
			b[k] = "aZ9m0zA"[r.IntN(7)]
		}
		check(b)
	}
	for _, c := range edges {
		for n := range 9 {
			b := [8]byte{'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'}
			if n < 8 {
				b[n] = c
			}
			check(b)
		}
	}
}

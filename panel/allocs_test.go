//go:build !race

package panel_test

import "testing"

// TestAdmitAllocatesNothingPerMember pins that the admission decision allocates the same
// on a 10-member panel as on a 500-member panel with a 2,000-person waitlist: nothing
// per existing member (issue #4).
func TestAdmitAllocatesNothingPerMember(t *testing.T) {
	small, big := bigPanel(t, 10, 40), bigPanel(t, 500, 2000)
	ws, cs := joiner(t, small)
	wb, cb := joiner(t, big)
	a := testing.AllocsPerRun(100, func() { admitOnce(t, small, ws, cs) })
	b := testing.AllocsPerRun(100, func() { admitOnce(t, big, wb, cb) })
	if a != b || b > 4 {
		t.Errorf("admission allocates %v times on 10 members and %v on 500; want the same small constant", a, b)
	}
}

package feedback

import (
	"sync"
	"sync/atomic"
)

// cueID identifies a label and rule pair (a cue) among those the process has interned:
// a Match holds one instead of the two strings, so that it holds no pointer. ID 0 is
// the empty pair, the zero Match's.
type cueID uint32

// cue is a match's label and rule.
type cue struct{ label, rule string }

// cues interns the label and rule pairs of matches: lexicons intern their cues when
// built, NewMatch and decoding the ones they are given. The table only grows, by one
// pair per distinct label and rule (a lexicon's terms and their negated and helper
// rules), and is read without a lock.
var cues struct {
	mu    sync.Mutex
	ids   map[cue]cueID
	pairs atomic.Pointer[[]cue] // by ID; a slice that is never written below its length
}

// cueOf interns the pair of label and rule and returns its ID.
func cueOf(label, rule string) cueID {
	c := cue{label, rule}
	if c == (cue{}) {
		return 0
	}
	cues.mu.Lock()
	defer cues.mu.Unlock()
	if id, ok := cues.ids[c]; ok {
		return id
	}
	var pairs []cue
	if p := cues.pairs.Load(); p != nil {
		pairs = *p
	} else {
		pairs = []cue{{}}
		cues.ids = map[cue]cueID{}
	}
	id := cueID(len(pairs))
	// An append in place writes only beyond the length readers see; they see the new
	// element once the new slice is stored.
	pairs = append(pairs, c)
	cues.pairs.Store(&pairs)
	cues.ids[c] = id
	return id
}

// pair returns the label and rule of id.
func (id cueID) pair() cue {
	if id == 0 {
		return cue{}
	}
	return (*cues.pairs.Load())[id]
}

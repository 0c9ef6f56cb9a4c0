package feedback

import "math/bits"

// dfa is the matching form of a lexicon trie, built once by compileTrie. A state is a
// node number shifted left by three with three flag bits (stateHasPre, stateHasEx,
// stateBranch), so that a walk learns from the transition it has just read whether the
// node has entries and how it branches, without loading the node:
//
//   - a branching node (two or more edges, and the root) has a dense row of targets
//     over the byte classes in rows16 (or rows), at node<<rowShift (a row holds nclass
//     targets rounded up to a power of two, so that a row's start is a shift of the
//     state and not a product); one load per byte;
//   - a node with one edge leads through a chain of single-edge nodes without entries
//     (one word's tail), whose bytes the walk compares at once (chain);
//   - a leaf has no edges.
//
// Branching nodes are numbered first (breadth first, so that the shallow rows every walk
// passes lie together), then the chains, then the leaves. State 0 means none.
type dfa struct {
	root   [256]int32 // the state after a token's first byte; 0 for none
	class  [256]uint8 // byte → column of a row; 0 for a byte on no edge
	nclass int32
	// rowShift is log2 of a row's length: the least power of two >= nclass.
	rowShift uint8
	nodes    int32    // the number of nodes
	branch   int32    // nodes [0, branch) branch, [branch, leaf) are chains, the rest leaves
	leaf     int32    // the first leaf
	rows     []int32  // 1<<rowShift target states per branching node; 0 for none
	rows16   []uint16 // rows, when every state fits 16 bits (half the cache)
	chain    []dchain // by node - branch
	ents     []int32  // entries: prefix then exact, node by node
	out      []dout   // by node
	chains   string   // the bytes of the chains
	// start2[b0][b1/64] bit b1%64 is set when a walk of a string starting with b0, b1
	// can append an entry or a mask: a filter that saves the walks that cannot.
	start2 [256][4]uint64
}

// mayStart reports whether a walk of a string of at least two bytes starting with b0, b1
// can find anything.
func (d *dfa) mayStart(b0, b1 byte) bool { return d.start2[b0][b1>>6]&(1<<(b1&63)) != 0 }

// The flag bits of a state.
const (
	stateHasPre = 1 << iota // the node has prefix entries
	stateHasEx              // the node has exact entries
	stateBranch             // the node branches (has a row)
	stateShift  = iota      // a state is node<<stateShift | flags
)

// dout is what a node outputs: its prefix entries ents[at[0]:at[1]] and mask mask[0],
// its exact entries ents[at[1]:at[2]] and mask mask[1] (see trieNode), together in 16
// bytes.
type dout struct {
	at   [3]int32
	mask [2]uint16
}

// dchain is a node with one edge: the chain's bytes are chains[at:at+n], and next is
// the state at its end.
type dchain struct {
	at   int32
	n    int32
	next int32
}

// maxChain bounds a chain's length.
const maxChain = 1 << 15

// compileTrie builds the dfa of t.
func compileTrie(t *trie) dfa {
	var d dfa
	for _, n := range t.nodes {
		for _, e := range n.edges {
			if d.class[e.b] == 0 {
				d.nclass++
				d.class[e.b] = uint8(d.nclass) // at most 255 distinct bytes plus the none column
			}
		}
	}
	d.nclass++
	// A single-edge node leads through a chain of single-edge nodes without entries,
	// which the walk passes without output: it compares the chain's bytes as one
	// string and goes on at the chain's end. Only the nodes a walk stops at are kept,
	// in breadth-first order.
	type link struct {
		chain []byte
		end   int32
	}
	follow := func(e trieEdge) link {
		var l link
		for {
			l.chain = append(l.chain, e.b)
			m := &t.nodes[e.next]
			if len(m.edges) != 1 || len(m.prefix) > 0 || len(m.exact) > 0 || m.preMask != 0 || m.exMask != 0 ||
				len(l.chain) == maxChain {
				l.end = e.next
				return l
			}
			e = m.edges[0]
		}
	}
	links := make([]link, len(t.nodes))
	order := make([]int32, 0, len(t.nodes))
	if len(t.nodes) > 0 {
		order = append(order, 0)
	}
	isChain := func(old int32) bool { return len(t.nodes[old].edges) == 1 && old != 0 } // the root's children are reached by d.root
	for k := 0; k < len(order); k++ {
		old := order[k]
		n := &t.nodes[old]
		if isChain(old) {
			links[old] = follow(n.edges[0])
			order = append(order, links[old].end)
			continue
		}
		for _, e := range n.edges {
			order = append(order, e.next)
		}
	}
	// Number the kept nodes: branching ones, chains, leaves, each in breadth-first order.
	id := make([]int32, len(t.nodes))
	next := int32(0)
	for pass := range 3 {
		for _, old := range order {
			n := &t.nodes[old]
			kind := 0 // branching
			switch {
			case isChain(old):
				kind = 1
			case len(n.edges) == 0:
				kind = 2
			}
			if kind == pass {
				id[old] = next
				next++
			}
		}
		switch pass {
		case 0:
			d.branch = next
		case 1:
			d.leaf = next
		}
	}
	d.nodes = next
	state := func(old int32) int32 {
		n := &t.nodes[old]
		s := id[old] << stateShift
		if len(n.prefix) > 0 || n.preMask != 0 {
			s |= stateHasPre
		}
		if len(n.exact) > 0 || n.exMask != 0 {
			s |= stateHasEx
		}
		if len(n.edges) > 0 && !isChain(old) {
			s |= stateBranch
		}
		return s
	}
	byID := make([]int32, d.nodes)
	for _, old := range order {
		byID[id[old]] = old
	}
	d.rowShift = uint8(bits.Len32(uint32(d.nclass - 1)))
	rows := make([]int32, int(d.branch)<<d.rowShift)
	d.chain = make([]dchain, d.leaf-d.branch)
	d.out = make([]dout, 0, d.nodes)
	var chains []byte
	maxState := int32(0)
	for nid, old := range byID {
		n := &t.nodes[old]
		o := dout{at: [3]int32{int32(len(d.ents))}, mask: [2]uint16{n.preMask, n.exMask}}
		d.ents = append(d.ents, n.prefix...)
		o.at[1] = int32(len(d.ents))
		d.ents = append(d.ents, n.exact...)
		o.at[2] = int32(len(d.ents))
		d.out = append(d.out, o)
		switch {
		case int32(nid) < d.branch:
			row := rows[nid<<d.rowShift:][:d.nclass]
			for _, e := range n.edges {
				row[d.class[e.b]] = state(e.next)
				maxState = max(maxState, row[d.class[e.b]])
			}
		case int32(nid) < d.leaf:
			l := links[old]
			d.chain[int32(nid)-d.branch] = dchain{at: int32(len(chains)), n: int32(len(l.chain)), next: state(l.end)}
			chains = append(chains, l.chain...)
		}
	}
	d.chains = string(chains)
	if maxState < 1<<16 {
		d.rows16 = make([]uint16, len(rows))
		for k, n := range rows {
			d.rows16[k] = uint16(n)
		}
	} else {
		d.rows = rows
	}
	if len(t.nodes) > 0 {
		for b, n := range t.root {
			if n == 0 {
				continue
			}
			d.root[b] = state(n)
			if m := &t.nodes[n]; len(m.prefix) > 0 || len(m.exact) > 0 || m.preMask != 0 || m.exMask != 0 {
				d.start2[b] = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
			} else {
				for _, e := range m.edges {
					d.start2[b][e.b>>6] |= 1 << (e.b & 63)
				}
			}
		}
	}
	return d
}

// walk appends to out each entry whose first word matches s from its start, in the order
// of the trie's walk: the prefix entries of each node passed, then the exact entries of
// the node s ends on. The vocabulary entries folded into masks are left out; see
// walkMask.
func (d *dfa) walk(s string, out []int32) []int32 {
	out, _ = d.walkMask(s, out)
	return out
}

// walkMask is walk that also returns the masks of the nodes whose entries it appends:
// the languages of the one-word vocabulary entries that match, and the marks of the
// node s ends on (see trieNode).
func (d *dfa) walkMask(s string, out []int32) ([]int32, uint16) {
	if d.rows16 != nil {
		return walkRows(d, d.rows16, s, out)
	}
	return walkRows(d, d.rows, s, out)
}

// walkRows is walkMask over the rows of d (rows16 or rows), compiled once for each
// width so that the loop reads the row without asking which.
func walkRows[R uint16 | int32](d *dfa, rows []R, s string, out []int32) ([]int32, uint16) {
	var m uint16
	if len(s) == 0 {
		return out, 0
	}
	st := d.root[s[0]]
	if st == 0 {
		return out, 0
	}
	if st&stateHasPre != 0 {
		out, m = d.appendEnts(out, m, st>>stateShift, 0)
	}
	shift, leaf, branch := d.rowShift, d.leaf, d.branch
	for i := 1; i < len(s); {
		n := st >> stateShift
		if st&stateBranch != 0 {
			st = int32(rows[n<<shift|int32(d.class[s[i]])])
			if st == 0 {
				return out, m
			}
			i++
		} else if n < leaf {
			ch := &d.chain[n-branch]
			end := i + int(ch.n)
			if end > len(s) || s[i:end] != d.chains[ch.at:ch.at+ch.n] {
				return out, m // the chain's nodes have no entries
			}
			st = ch.next
			i = end
		} else {
			return out, m // a leaf, and s goes on
		}
		if st&stateHasPre != 0 {
			out, m = d.appendEnts(out, m, st>>stateShift, 0)
		}
	}
	if st&stateHasEx != 0 {
		out, m = d.appendEnts(out, m, st>>stateShift, 1)
	}
	return out, m
}

// appendEnts appends node n's prefix (which 0) or exact (which 1) entries to out and
// adds its mask to m.
func (d *dfa) appendEnts(out []int32, m uint16, n int32, which int32) ([]int32, uint16) {
	o := &d.out[n]
	return append(out, d.ents[o.at[which]:o.at[which+1]]...), m | o.mask[which]
}

// entryKey is the part of an entry that matching reads for every candidate, packed
// small so that the candidates of common words stay in cache.
type entryKey struct {
	lang   Lang
	label  uint8
	words  uint8 // number of words, at most 255 counted
	second byte  // the first byte of the second word, if any
	// head holds the first four bytes of the second word (fewer when it is shorter),
	// headMask the bits they take: see head4.
	head, headMask uint32
	termLen        int32 // len(term), which decides between overlapping themes
}

func keysOf(entries []entry) []entryKey {
	keys := make([]entryKey, len(entries))
	for i, e := range entries {
		k := entryKey{lang: e.lang, label: uint8(e.label), words: uint8(min(len(e.words), 255)),
			termLen: int32(len(e.term))}
		if len(e.words) > 1 {
			w := e.words[1].text
			k.second = w[0]
			k.head, _ = head4(w)
			k.headMask = ^uint32(0) >> (8 * (4 - min(len(w), 4)))
		}
		keys[i] = k
	}
	return keys
}

package feedback

// dfa is the matching form of a lexicon trie, built once by compileTrie: flat nodes in
// one slice, a dense row over byte classes for branching nodes, the entries of all nodes
// in one slice, and for a node with one edge the whole chain of single-edge nodes without
// entries that follows (one word's tail), compared at once. A walk touches a few small,
// adjacent records instead of edge lists.
type dfa struct {
	root   [256]int32 // the node after a token's first byte; 0 for none
	class  [256]uint8 // byte → column of a row; 0 for a byte on no edge
	nclass int32
	nodes  []dnode
	rows   []int32  // nclass targets per branching node; 0 for none
	rows16 []uint16 // rows, when every node number fits 16 bits (half the cache)
	ents   []int32  // entries: prefix then exact, node by node
	chains string   // the bytes of the chains of single-edge nodes
}

// dnode is one trie node. ents[pre:ex] are the entries whose (prefix) first word ends
// here, ents[ex:end] those whose whole first word ends here.
type dnode struct {
	// With one edge: next is the node at the end of the chain, chains[row:row+clen]
	// the bytes that lead there. With more: row is the node's row in rows.
	next         int32
	row          int32
	pre, ex, end int32
	clen         uint16 // the length of the chain (one edge)
	edges        uint8  // 0, 1 or 2 (two or more)
}

// maxChain bounds a chain's length (clen is a uint16).
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
	// numbered breadth first so that the shallow nodes every walk passes lie together.
	type link struct {
		chain []byte
		end   int32
	}
	follow := func(e trieEdge) link {
		var l link
		for {
			l.chain = append(l.chain, e.b)
			m := &t.nodes[e.next]
			if len(m.edges) != 1 || len(m.prefix) > 0 || len(m.exact) > 0 || len(l.chain) == maxChain {
				l.end = e.next
				return l
			}
			e = m.edges[0]
		}
	}
	links := make([]link, len(t.nodes))
	order := make([]int32, 0, len(t.nodes))
	id := make([]int32, len(t.nodes))
	if len(t.nodes) > 0 {
		order = append(order, 0)
	}
	for k := 0; k < len(order); k++ {
		old := order[k]
		n := &t.nodes[old]
		if len(n.edges) == 1 && old != 0 { // the root's children are reached by d.root
			links[old] = follow(n.edges[0])
			id[links[old].end] = int32(len(order))
			order = append(order, links[old].end)
			continue
		}
		for _, e := range n.edges {
			id[e.next] = int32(len(order))
			order = append(order, e.next)
		}
	}
	d.nodes = make([]dnode, len(order))
	var chains []byte
	for i, old := range order {
		n := &t.nodes[old]
		dn := dnode{pre: int32(len(d.ents))}
		d.ents = append(d.ents, n.prefix...)
		dn.ex = int32(len(d.ents))
		d.ents = append(d.ents, n.exact...)
		dn.end = int32(len(d.ents))
		switch {
		case len(n.edges) == 1 && old != 0:
			l := links[old]
			dn.row, dn.clen, dn.next, dn.edges = int32(len(chains)), uint16(len(l.chain)), id[l.end], 1
			chains = append(chains, l.chain...)
		case len(n.edges) > 0:
			dn.row = int32(len(d.rows))
			dn.edges = 2
			row := make([]int32, d.nclass)
			for _, e := range n.edges {
				row[d.class[e.b]] = id[e.next]
			}
			d.rows = append(d.rows, row...)
		}
		d.nodes[i] = dn
	}
	d.chains = string(chains)
	if len(d.nodes) <= 1<<16 {
		d.rows16 = make([]uint16, len(d.rows))
		for k, n := range d.rows {
			d.rows16[k] = uint16(n)
		}
		d.rows = nil
	}
	if len(t.nodes) > 0 {
		for b, n := range t.root {
			if n != 0 {
				d.root[b] = id[n]
			}
		}
	}
	return d
}

// walk appends to out each entry whose first word matches s from its start, in the order
// of the trie's walk: the prefix entries of each node passed, then the exact entries of
// the node s ends on.
func (d *dfa) walk(s string, out []int32) []int32 {
	if len(s) == 0 || len(d.nodes) == 0 {
		return out
	}
	n := d.root[s[0]]
	if n == 0 {
		return out
	}
	nd := &d.nodes[n]
	if nd.pre != nd.ex {
		out = append(out, d.ents[nd.pre:nd.ex]...)
	}
	for i := 1; i < len(s); {
		switch nd.edges {
		case 2:
			if col := nd.row + int32(d.class[s[i]]); d.rows16 != nil {
				n = int32(d.rows16[col])
			} else {
				n = d.rows[col]
			}
			i++
		case 1:
			end := i + int(nd.clen)
			if end > len(s) || s[i:end] != d.chains[nd.row:nd.row+int32(nd.clen)] {
				return out // the chain's nodes have no entries
			}
			n = nd.next
			i = end
		default:
			return out
		}
		if n == 0 {
			return out
		}
		nd = &d.nodes[n]
		if nd.pre != nd.ex {
			out = append(out, d.ents[nd.pre:nd.ex]...)
		}
	}
	if nd.ex != nd.end {
		out = append(out, d.ents[nd.ex:nd.end]...)
	}
	return out
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

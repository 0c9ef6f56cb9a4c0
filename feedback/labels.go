package feedback

// Kind is the kind of a feedback message (spec/feedback.md §3.2), in precedence order.
type Kind string

// The kinds. The zero value is KindUnspecified, which validation rejects.
const (
	KindUnspecified Kind = ""
	KindComplaint   Kind = "complaint" // moite, klagomål: something went wrong
	KindQuestion    Kind = "question"  // kysymys, fråga
	KindIdea        Kind = "idea"      // kehittämisehdotus, förslag
	KindPraise      Kind = "praise"    // kiitos, beröm
)

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool { return k.rank() >= 0 }

// rank orders kinds by precedence: complaint 0 … praise 3; -1 when invalid.
func (k Kind) rank() int {
	switch k {
	case KindComplaint:
		return 0
	case KindQuestion:
		return 1
	case KindIdea:
		return 2
	case KindPraise:
		return 3
	}
	return -1
}

// Labels are the labels that decide a feedback's deadline class (§6.1).
type Labels struct {
	Kind            Kind `json:"kind"`
	Urgent          bool `json:"urgent"`
	FormalComplaint bool `json:"formalComplaint"`
	WantsReply      bool `json:"wantsReply"`
}

// Consistent reports whether urgent and formalComplaint are set only on a complaint.
func (l Labels) Consistent() bool {
	return l.Kind == KindComplaint || (!l.Urgent && !l.FormalComplaint)
}

// Stricter returns the stricter of l and m (a merge, §6.2): the kind first in complaint >
// question > idea > praise, and each flag true when it is true on either.
func (l Labels) Stricter(m Labels) Labels {
	out := l
	if m.Kind.rank() >= 0 && (l.Kind.rank() < 0 || m.Kind.rank() < l.Kind.rank()) {
		out.Kind = m.Kind
	}
	out.Urgent = l.Urgent || m.Urgent
	out.FormalComplaint = l.FormalComplaint || m.FormalComplaint
	out.WantsReply = l.WantsReply || m.WantsReply
	return out
}

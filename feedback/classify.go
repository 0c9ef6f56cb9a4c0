package feedback

// Classification is the result of [Classify] (spec/feedback.md §3).
type Classification struct {
	Lang            string   `json:"lang"`
	Kind            Kind     `json:"kind"`
	Themes          []string `json:"themes"`
	Urgent          bool     `json:"urgent"`
	FormalComplaint bool     `json:"formalComplaint"`
	WantsReply      bool     `json:"wantsReply"`
	Matches         []Match  `json:"matches,omitempty"`
	LexiconVersion  string   `json:"lexiconVersion,omitempty"`
}

// Match is the evidence of one fired cue.
type Match struct {
	Label string `json:"label"`
	Rule  string `json:"rule"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Classify classifies text with the default lexicon.
func Classify(text string) Classification {
	return Classification{Lang: "und", Kind: KindQuestion, Themes: []string{}}
}

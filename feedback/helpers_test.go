package feedback_test

import (
	"context"
	"time"
	"unicode"
)

func isLetter(r rune) bool { return unicode.IsLetter(r) }

func month(m int) time.Month { return time.Month(m) }

func ctxBackground() context.Context { return context.Background() }

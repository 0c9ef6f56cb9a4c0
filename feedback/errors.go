package feedback

import "github.com/osallisuus/osallisuus"

// invalidParams returns a *osallisuus.ValidationError with one problem and its parameters.
func invalidParams(field string, code osallisuus.Code, params map[string]any) *osallisuus.ValidationError {
	return (&osallisuus.ValidationError{}).AddParams(field, code, params)
}

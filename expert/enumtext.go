package expert

import "github.com/osallisuus/osallisuus"

// The enumerations of this package are small integer types whose zero value is
// ...Unspecified; JSON and SQL carry their text form. These helpers share the code.

func enumString[T ~uint8](names []string, v T) string {
	if int(v) < len(names) {
		return names[v]
	}
	return ""
}

func enumParse[T ~uint8](names []string, s string) (T, bool) {
	for i := 1; i < len(names); i++ {
		if names[i] == s {
			return T(i), true
		}
	}
	return 0, false
}

func enumUnmarshal[T ~uint8](names []string, field string, b []byte, v *T) error {
	if len(b) == 0 {
		*v = 0
		return nil
	}
	x, ok := enumParse[T](names, string(b))
	if !ok {
		return osallisuus.Invalid(field, osallisuus.CodeUnknown)
	}
	*v = x
	return nil
}

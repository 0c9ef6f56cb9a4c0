package participation_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeQuickStartIsTheExample keeps the README's quick start identical to the body of
// Example_quickStart, so the README shows code that compiles and prints what it says.
func TestReadmeQuickStartIsTheExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("quickstart_test.go")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	body = body[strings.Index(body, "func Example_quickStart() {")+len("func Example_quickStart() {"):]
	body = body[:strings.Index(body, "\t// Output:")]
	want := "func main() {" + body + "}\n"
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md's quick start differs from Example_quickStart; want it to contain:\n%s", want)
	}
}

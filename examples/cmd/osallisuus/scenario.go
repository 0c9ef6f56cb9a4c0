package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// evalFunc evaluates one scenario file read from r, writing its JSON Lines to w. The
// scenario runners of the core module's ...test packages have this shape.
type evalFunc func(r io.Reader, w io.Writer) error

// runScenarioFiles evaluates each file in argument order with eval, printing each file's
// lines only when the whole file was evaluated. An unreadable or malformed file prints a
// message naming it on stderr and no lines, and the remaining files still run; the status
// is then 1. No files is a usage error (2).
func runScenarioFiles(name string, files []string, eval evalFunc, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintf(stderr, "usage: osallisuus %s FILE...\n", name)
		return 2
	}
	status := 0
	var buf bytes.Buffer
	for _, path := range files {
		buf.Reset()
		if err := evalFile(path, eval, &buf); err != nil {
			fmt.Fprintf(stderr, "osallisuus %s: %s: %v\n", name, path, err)
			status = 1
			continue
		}
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(stderr, "osallisuus %s: write output: %v\n", name, err)
			return 1
		}
	}
	return status
}

func evalFile(path string, eval evalFunc, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return eval(f, w)
}

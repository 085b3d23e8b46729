// Command passbook is the whole of Passbook in one binary: the Connect widget, the Flinks-compatible
// API, the Dashboard and the background workers (`serve`), and the statement engine on the command
// line (`parse`, `eval`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand of passbook.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "start the widget, the API, the Dashboard and the workers on one port", runServe},
		{"parse", "read bank-statement PDFs and print their accounts and transactions", runParse},
		{"eval", "score the statement engine on a folder of PDFs with truth", runEval},
		{"migrate", "apply the database's migrations (SQLite or PostgreSQL) and exit", runMigrate},
		{"customer", "create, list, rotate the keys of, disable or enable the lenders served", runCustomer},
		{"version", "print the version", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) error {
	_, err := fmt.Fprintln(stdout, "passbook", version)
	return err
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Passbook: self-hostable bank-data platform, wire-compatible with Flinks.\n\nUsage:\n  passbook <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'passbook <command> --help' for the flags of a command.\n")
}

// errUsage marks a mistake in the command line: it is reported with the usage and exit code 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "passbook: unknown command %q\n\n", args[0])
	usage(stderr)
	return errUsage
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "passbook:", err)
		os.Exit(1)
	}
}

// exitError ends the program with its value as exit code and nothing more printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

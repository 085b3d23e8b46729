package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/ocr"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print the score of every document")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: passbook eval [-v] DIR\n\nScores the statement engine on DIR/NAME.pdf with truth in DIR/NAME.json and prints\nprecision, recall and F1 of transactions per layout (the NAME up to its first dash),\nbalance accuracy and opening/closing accuracy.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	dir := fs.Arg(0)
	truths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	eng, err := pdf.New(ctx, pdf.Options{})
	if err != nil {
		return err
	}
	defer eng.Close()
	pe := engine.Engine{PDF: eng, OCR: startOCR(ctx, eng, ocr.Options{Languages: "eng+fra"}, slog.New(slog.NewTextHandler(io.Discard, nil)))}
	per := map[string]statement.Score{}
	for _, tf := range truths {
		if filepath.Base(tf) == "labels.json" {
			continue
		}
		b, err := os.ReadFile(tf)
		if err != nil {
			return err
		}
		var truth statement.Truth
		if err := json.Unmarshal(b, &truth); err != nil {
			return fmt.Errorf("%s: %w", tf, err)
		}
		pdfPath := strings.TrimSuffix(tf, ".json") + ".pdf"
		out, read := parseFiles(ctx, pe, []string{pdfPath}, nil)
		layout, _, _ := strings.Cut(filepath.Base(tf), "-")
		s := statement.ScoreDocument(truth, out)
		if read == 0 {
			s.Failed = 1
		}
		c := per[layout]
		c.Add(s)
		per[layout] = c
		if *verbose {
			_, _, f1 := s.F1()
			fmt.Fprintf(stdout, "%s: f1=%.4f tp=%d fp=%d fn=%d open_close=%d/%d accounts=%d/%d\n", filepath.Base(pdfPath), f1, s.TP, s.FP, s.FN, s.OpenCloseOK, s.OpenCloseN, s.AccountsFound, s.Accounts)
		}
	}
	statement.WriteReport(stdout, per)
	return nil
}

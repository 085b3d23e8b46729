// Command measure opens PDFs with the engine and reports its speed and, when pdftotext is on
// PATH, how many of its words match poppler's (same text, box within 1 pt):
//
//	go run ./pdf/internal/measure [-workers N] [-compare] FILE.pdf...
package main

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/passbookhq/passbook/pdf"
)

func main() {
	workers := flag.Int("workers", 0, "PDFium instances (0: one per CPU)")
	compare := flag.Bool("compare", false, "compare the words with pdftotext -bbox")
	flag.Parse()
	files := flag.Args()
	ctx := context.Background()
	t0 := time.Now()
	e, err := pdf.New(ctx, pdf.Options{Workers: *workers})
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	start := time.Since(t0)

	docs := make([]*pdf.Document, len(files))
	t1 := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(*workers, 2))
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			data, err := os.ReadFile(f)
			if err != nil {
				log.Fatal(err)
			}
			d, err := e.Open(ctx, data)
			if err != nil {
				log.Printf("%s: %v", f, err)
				return
			}
			docs[i] = d
		}()
	}
	wg.Wait()
	open := time.Since(t1)
	pages := 0
	for _, d := range docs {
		if d != nil {
			pages += len(d.Pages)
		}
	}
	fmt.Printf("engine start %v; opened %d files, %d pages in %v (%.1f ms/page, %.0f pages/s)\n",
		start.Round(time.Millisecond), len(files), pages, open.Round(time.Millisecond),
		float64(open.Microseconds())/1000/float64(max(pages, 1)), float64(pages)/open.Seconds())
	if !*compare {
		return
	}
	var ours, theirs, matched int
	for i, f := range files {
		if docs[i] == nil {
			continue
		}
		pw := poppler(f)
		for p, page := range docs[i].Pages {
			if p >= len(pw) {
				break
			}
			theirs += len(pw[p])
			used := make([]bool, len(pw[p]))
			for _, w := range page.Words {
				ours++
				for j, o := range pw[p] {
					if !used[j] && o.Text == w.Text && math.Abs(o.XMin-w.Box.X0) <= 1 && math.Abs(o.XMax-w.Box.X1) <= 1 &&
						math.Abs(o.YMin-w.Box.Y0) <= 1 && math.Abs(o.YMax-w.Box.Y1) <= 1 {
						used[j] = true
						matched++
						break
					}
				}
			}
			for j, o := range pw[p] {
				if !used[j] && os.Getenv("SHOW") != "" {
					fmt.Printf("  %s p%d unmatched pdftotext word %q\n", f, p+1, o.Text)
				}
			}
		}
	}
	fmt.Printf("words: ours %d, pdftotext %d, matching (same text, box within 1pt) %d = %.1f%% of pdftotext's\n",
		ours, theirs, matched, 100*float64(matched)/float64(max(theirs, 1)))
}

type word struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

func poppler(file string) [][]word {
	out, err := exec.Command("pdftotext", "-bbox", file, "-").Output()
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Pages []struct {
			Words []word `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		log.Fatal(err)
	}
	var pages [][]word
	for _, p := range doc.Pages {
		pages = append(pages, p.Words)
	}
	return pages
}

// Command measure estimates how the authenticity checks do on statements they were not tuned on:
// it reads genuine statement PDFs, counts how many get a verdict other than pass, then forges
// each one the ways forgers do — an editor's metadata re-save, a white box with a new amount
// typed over a random amount in an incremental update (and the same analysed as if the file had
// been rewritten without update traces), and an annotation over an amount — and
// counts how many of each kind are caught (verdict not pass, with a signal naming the cause).
//
//	go run ./authenticity/internal/measure [-seed 1] FILE.pdf...
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authenticity"
	"github.com/passbookhq/passbook/internal/pdfgen"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// causes lists, per forgery kind, the signal codes that name its real cause.
var causes = map[string][]string{
	"meta":       {authenticity.EditorProducer, authenticity.ProducerChanged, authenticity.RevisionChangedMetadata},
	"overlay":    {authenticity.Whiteout, authenticity.TextCovered, authenticity.RevisionChangedContent},
	"rewrite":    {authenticity.Whiteout, authenticity.TextCovered},
	"annotation": {authenticity.AnnotationOverText, authenticity.RevisionAddedAnnots},
}

// editors are tools that save changes as incremental updates.
var editors = []string{"PDF-XChange Editor 10.2.1", "Foxit PDF Editor 13.0", "Adobe Acrobat Pro (64-bit) 24.1", "Sejda PDF", "iLovePDF", "Nitro Pro 14"}

func main() {
	seed := flag.Uint64("seed", 1, "random seed for the forgeries")
	verbose := flag.Bool("v", false, "print every document's verdict")
	out := flag.String("out", "", "directory to write the forgeries to, for inspection")
	flag.Parse()
	ctx := context.Background()
	eng, err := pdf.New(ctx, pdf.Options{Workers: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	rng := rand.New(rand.NewPCG(*seed, 7))
	now := time.Now()

	type tally struct{ n, caught, named, failed int }
	kinds := map[string]*tally{}
	genuine := &tally{}
	var misses []string
	analyze := func(name string, data []byte) (passbook.Authenticity, bool) {
		doc, err := eng.Open(ctx, data)
		if err != nil {
			log.Printf("%s: %v", name, err)
			return passbook.Authenticity{}, false
		}
		if strings.HasSuffix(name, "-rewrite") {
			// The overlay with the file rewritten in one piece: the same pages, no update trace.
			doc.Structure.Revisions, doc.Structure.RevisionChanges = 1, nil
		}
		res, _ := statement.Parse(ctx, doc)
		return authenticity.Analyze(authenticity.Input{Name: name, Data: data, Doc: doc, Statement: res}, authenticity.Options{Now: now}), true
	}
	for _, path := range flag.Args() {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			log.Fatal(err)
		}
		a, ok := analyze(name, data)
		if !ok {
			continue
		}
		genuine.n++
		if a.Verdict != passbook.Pass {
			genuine.caught++
			misses = append(misses, fmt.Sprintf("genuine %s flagged %s %d: %s", name, a.Verdict, a.Score, codes(a)))
		}
		if *verbose {
			fmt.Printf("%-28s genuine    %-6s %3d %s\n", name, a.Verdict, a.Score, codes(a))
		}
		doc, _ := eng.Open(ctx, data)
		for _, kind := range []string{"meta", "overlay", "rewrite", "annotation"} {
			forged, err := forge(kind, data, doc, rng)
			if err != nil {
				log.Printf("%s %s: %v", name, kind, err)
				continue
			}
			if *out != "" {
				if err := os.WriteFile(filepath.Join(*out, strings.TrimSuffix(name, ".pdf")+"-"+kind+".pdf"), forged, 0o644); err != nil {
					log.Fatal(err)
				}
			}
			t := kinds[kind]
			if t == nil {
				t = &tally{}
				kinds[kind] = t
			}
			t.n++
			f, ok := analyze(name+"-"+kind, forged)
			if !ok {
				continue
			}
			named := false
			for _, s := range f.Signals {
				if slices.Contains(causes[kind], s.Code) {
					named = true
				}
			}
			if f.Verdict == passbook.Fail {
				t.failed++
			}
			if f.Verdict != passbook.Pass {
				t.caught++
				if named {
					t.named++
				}
			}
			if f.Verdict == passbook.Pass || !named {
				misses = append(misses, fmt.Sprintf("%s %s missed %s %d: %s", kind, name, f.Verdict, f.Score, codes(f)))
			}
			if *verbose {
				fmt.Printf("%-28s %-10s %-6s %3d %s\n", name, kind, f.Verdict, f.Score, codes(f))
			}
		}
	}
	fmt.Printf("genuine: %d documents, %d flagged (%.1f%%)\n", genuine.n, genuine.caught, pct(genuine.caught, genuine.n))
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t := kinds[k]
		fmt.Printf("%-10s: %d forged, %d caught (%.1f%%; %d fail), %d with a signal naming the cause\n", k, t.n, t.caught, pct(t.caught, t.n), t.failed, t.named)
	}
	for _, m := range misses {
		fmt.Println("  ", m)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func codes(a passbook.Authenticity) string {
	var cs []string
	for _, s := range a.Signals {
		c := s.Code + ":" + string(s.Severity[0])
		if !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return strings.Join(cs, " ")
}

// forge makes one forgery of data.
func forge(kind string, data []byte, doc *pdf.Document, rng *rand.Rand) ([]byte, error) {
	ap, err := pdfgen.Open(data)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "meta":
		ap.SetInfo("Producer", editors[rng.IntN(len(editors))])
		ap.SetInfo("ModDate", pdfgen.Date(2026, 1+rng.IntN(10), 1+rng.IntN(27), rng.IntN(24), rng.IntN(60), 0))
		return ap.Update()
	case "overlay", "rewrite", "annotation":
		page, w, ok := pickAmount(doc, rng)
		if !ok {
			return nil, fmt.Errorf("no amount to change")
		}
		p := ap.Page(page)
		b := w.Box
		if kind == "annotation" {
			p.Annotate("FreeText", b.X0-1, b.Y0-0.5, b.X1+1, b.Y1+0.5, changed(w.Text, rng))
			return ap.Update()
		}
		p.Rect(b.X0-1, b.Y0-0.5, b.X1+1, b.Y1+0.5, pdfgen.White)
		size := w.Size
		if size <= 0 || size > 2*(b.Y1-b.Y0) || size < 0.5*(b.Y1-b.Y0) {
			size = (b.Y1 - b.Y0) * 0.9
		}
		font := []string{"Helvetica", "Arial", "Times-Roman"}[rng.IntN(3)]
		jitter := (rng.Float64() - 0.5) * 1.0 // a careful forger lands within half a point
		p.TextRight(b.X1+jitter, w.Baseline, font, size, changed(w.Text, rng))
		return ap.Update()
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

// pickAmount chooses a visible amount on a random page.
func pickAmount(doc *pdf.Document, rng *rand.Rand) (int, pdf.Word, bool) {
	type cand struct {
		page int
		w    pdf.Word
	}
	var cs []cand
	for _, p := range doc.Pages {
		for _, w := range p.Words {
			if !w.Hidden && w.Rotation == 0 && amountLike(w.Text) {
				cs = append(cs, cand{p.Number, w})
			}
		}
	}
	if len(cs) == 0 {
		return 0, pdf.Word{}, false
	}
	c := cs[rng.IntN(len(cs))]
	return c.page, c.w, true
}

func amountLike(s string) bool {
	digits, sep := 0, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case (r == '.' || r == ',') && i == len(s)-3:
			sep = true
		}
	}
	return sep && digits >= 3
}

// changed returns s with its leading digit changed, as a forger raises an amount.
func changed(s string, rng *rand.Rand) string {
	r := []rune(s)
	for i, c := range r {
		if c >= '0' && c <= '9' {
			d := '1' + rune(rng.IntN(9))
			if d == c {
				d = '9'
				if c == '9' {
					d = '8'
				}
			}
			r[i] = d
			break
		}
	}
	return string(r)
}

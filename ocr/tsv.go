package ocr

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// TSVWord is one word of Tesseract's TSV output: its box in pixels of the image Tesseract read,
// its confidence (0–100) and the line it belongs to.
type TSVWord struct {
	Block, Par, Line int // Tesseract's layout numbering; words with the same three share a line
	Left, Top        int
	Width, Height    int
	Conf             float64
	Text             string
	Orig             string // what Tesseract read, when Text is a correction of it
}

// tsvColumns is Tesseract's TSV header.
const tsvColumns = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"

// maxTSVWords bounds what one page's output may hold: a real page has a few thousand words.
const maxTSVWords = 200_000

// ParseTSV reads the words (level 5 rows) of Tesseract's TSV output. Rows of other levels are
// skipped, as are words that are empty or have no box. An error names the line it happened on.
func ParseTSV(r io.Reader) ([]TSVWord, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var words []TSVWord
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			if line != tsvColumns {
				return nil, fmt.Errorf("ocr: tsv line 1: not Tesseract's TSV header")
			}
			continue
		}
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 12)
		if len(f) < 11 {
			return nil, fmt.Errorf("ocr: tsv line %d: %d fields, want 12", n, len(f))
		}
		var v [10]int
		for i := range 10 {
			x, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("ocr: tsv line %d: field %d: %q is not an integer", n, i+1, f[i])
			}
			v[i] = x
		}
		if v[0] != 5 {
			continue
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil || conf != conf {
			return nil, fmt.Errorf("ocr: tsv line %d: confidence %q is not a number", n, f[10])
		}
		text := ""
		if len(f) == 12 {
			text = strings.TrimSpace(f[11])
		}
		if text == "" || v[8] <= 0 || v[9] <= 0 || v[6] < 0 || v[7] < 0 {
			continue
		}
		if len(words) >= maxTSVWords {
			return nil, fmt.Errorf("ocr: tsv line %d: more than %d words", n, maxTSVWords)
		}
		words = append(words, TSVWord{
			Block: v[2], Par: v[3], Line: v[4],
			Left: v[6], Top: v[7], Width: v[8], Height: v[9],
			Conf: min(max(conf, 0), 100), Text: text,
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ocr: tsv line %d: %w", n+1, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("ocr: empty tsv output")
	}
	return words, nil
}

// parseOSD reads the rotation from `tesseract --psm 0` output ("Rotate: 90"): the clockwise
// quarter turns that make the page upright, and the confidence Tesseract gives it.
func parseOSD(out []byte) (rotate int, conf float64, ok bool) {
	for line := range bytes.Lines(out) {
		k, v, found := strings.Cut(strings.TrimSpace(string(line)), ":")
		if !found {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Rotate":
			d, err := strconv.Atoi(v)
			if err != nil || d%90 != 0 || d < 0 || d >= 360 {
				return 0, 0, false
			}
			rotate, ok = d, true
		case "Orientation confidence":
			conf, _ = strconv.ParseFloat(v, 64)
		}
	}
	return rotate, conf, ok
}

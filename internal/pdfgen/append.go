package pdfgen

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Appender appends an incremental update to a PDF written by another tool, the way an editor
// saves its changes: drawing on top of pages and Info entries, with the original bytes kept. It
// reads files with a classic cross-reference table and page dictionaries written in the clear
// (Chromium, most report generators); Open returns an error for others.
//
//	a, err := pdfgen.Open(chromiumPDF)
//	p := a.Page(1)                      // draw with the usual Page methods, y from the top
//	p.Rect(400, 600, 430, 612, pdfgen.White)
//	p.TextRight(429, 610, "Helvetica", 9, "162.10")
//	a.SetInfo("Producer", "Some PDF Editor")
//	edited, err := a.Update()
type Appender struct {
	data     []byte
	size     int // the trailer's /Size: the next free object number
	root     string
	infoNum  int // 0 when the file has no Info dictionary
	prevXref int
	objs     map[int][]byte // object number → its body (between "obj" and "endobj"), last definition
	pages    []int          // page object numbers in order
	drawn    map[int]*Page  // page index → drawing added
	info     map[string]string
}

var (
	objRe       = regexp.MustCompile(`(?m)(?:^|[\r\n\s])(\d+)\s+0\s+obj\b`)
	startxrefRe = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	refRe       = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s+(\d+)\s+0\s+R`) }
	kidsRe      = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	refsRe      = regexp.MustCompile(`(\d+)\s+0\s+R`)
	mediaBoxRe  = regexp.MustCompile(`/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]`)
	infoEntryRe = regexp.MustCompile(`/(\w+)\s*\(((?:\\.|[^\\)])*)\)`)
)

// Open reads the structure of data for appending.
func Open(data []byte) (*Appender, error) {
	m := startxrefRe.FindSubmatch(data)
	if m == nil {
		return nil, errors.New("pdfgen: no startxref at the end of the file")
	}
	a := &Appender{data: data, objs: map[int][]byte{}, drawn: map[int]*Page{}, info: map[string]string{}}
	a.prevXref, _ = strconv.Atoi(string(m[1]))
	t := bytes.LastIndex(data, []byte("trailer"))
	if t < 0 {
		return nil, errors.New("pdfgen: no classic trailer (cross-reference streams are not supported)")
	}
	trailer := data[t:]
	if s := regexp.MustCompile(`/Size\s+(\d+)`).FindSubmatch(trailer); s != nil {
		a.size, _ = strconv.Atoi(string(s[1]))
	}
	r := refRe("Root").FindSubmatch(trailer)
	if r == nil || a.size == 0 {
		return nil, errors.New("pdfgen: trailer without /Root or /Size")
	}
	a.root = string(r[1])
	if i := refRe("Info").FindSubmatch(trailer); i != nil {
		a.infoNum, _ = strconv.Atoi(string(i[1]))
	}
	for _, loc := range objRe.FindAllSubmatchIndex(data, -1) {
		n, _ := strconv.Atoi(string(data[loc[2]:loc[3]]))
		body := data[loc[1]:]
		if e := bytes.Index(body, []byte("endobj")); e >= 0 {
			body = body[:e]
		}
		a.objs[n] = body
	}
	rootNum, _ := strconv.Atoi(a.root)
	pagesRef := refRe("Pages").FindSubmatch(a.objs[rootNum])
	if pagesRef == nil {
		return nil, errors.New("pdfgen: catalog without /Pages")
	}
	n, _ := strconv.Atoi(string(pagesRef[1]))
	if err := a.collect(n, 0); err != nil {
		return nil, err
	}
	if len(a.pages) == 0 {
		return nil, errors.New("pdfgen: no pages found")
	}
	return a, nil
}

// collect walks the page tree from node n.
func (a *Appender) collect(n, depth int) error {
	if depth > 32 {
		return errors.New("pdfgen: page tree too deep")
	}
	body, ok := a.objs[n]
	if !ok {
		return fmt.Errorf("pdfgen: object %d not found in the clear", n)
	}
	if k := kidsRe.FindSubmatch(body); k != nil {
		for _, r := range refsRe.FindAllSubmatch(k[1], -1) {
			kid, _ := strconv.Atoi(string(r[1]))
			if err := a.collect(kid, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	a.pages = append(a.pages, n)
	return nil
}

// Pages returns the number of pages.
func (a *Appender) Pages() int { return len(a.pages) }

// Page returns a Page to draw on top of page n (1-based), or nil. Its size is the page's MediaBox.
func (a *Appender) Page(n int) *Page {
	if n < 1 || n > len(a.pages) {
		return nil
	}
	if p := a.drawn[n-1]; p != nil {
		return p
	}
	w, h := 612.0, 792.0
	if m := mediaBoxRe.FindSubmatch(a.objs[a.pages[n-1]]); m != nil {
		x0, _ := strconv.ParseFloat(string(m[1]), 64)
		y0, _ := strconv.ParseFloat(string(m[2]), 64)
		x1, _ := strconv.ParseFloat(string(m[3]), 64)
		y1, _ := strconv.ParseFloat(string(m[4]), 64)
		w, h = x1-x0, y1-y0
	}
	p := &Page{index: n - 1, width: w, height: h, fonts: map[string]bool{}}
	a.drawn[n-1] = p
	return p
}

// SetInfo sets an entry of the Info dictionary in the update.
func (a *Appender) SetInfo(key, value string) { a.info[key] = value }

// Update returns the original bytes followed by one incremental update with the drawing and Info
// entries set since Open.
func (a *Appender) Update() ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(a.data)
	if !bytes.HasSuffix(a.data, []byte("\n")) {
		buf.WriteByte('\n')
	}
	offsets := map[int]int{}
	next := a.size
	write := func(n int, body []byte) {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n", n)
		buf.Write(bytes.TrimSpace(body))
		buf.WriteString("\nendobj\n")
	}
	idx := make([]int, 0, len(a.drawn))
	for i := range a.drawn {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		p := a.drawn[i]
		if p.cur.Len() == 0 && len(p.annots) == 0 {
			continue
		}
		pageNum := a.pages[i]
		dict := string(a.objs[pageNum])
		if len(p.annots) > 0 {
			var refs strings.Builder
			for _, an := range p.annots {
				write(next, []byte(fmt.Sprintf("<< /Type /Annot /Subtype /%s /Rect [%s %s %s %s] /Contents (%s) >>",
					an.subtype, num(an.x0), num(p.height-an.y1), num(an.x1), num(p.height-an.y0), escape(encode(an.contents)))))
				fmt.Fprintf(&refs, " %d 0 R", next)
				next++
			}
			if ai := strings.Index(dict, "/Annots"); ai >= 0 {
				open := strings.Index(dict[ai:], "[")
				if open < 0 || strings.TrimSpace(dict[ai+7:ai+open]) != "" {
					return nil, fmt.Errorf("pdfgen: page %d's annotations are not an inline array", i+1)
				}
				at := ai + open + 1
				dict = dict[:at] + refs.String() + " " + dict[at:]
			} else {
				end := strings.LastIndex(dict, ">>")
				if end < 0 {
					return nil, fmt.Errorf("pdfgen: page %d's dictionary is not readable", i+1)
				}
				dict = dict[:end] + "/Annots [" + refs.String() + " ]\n" + dict[end:]
			}
			p.annots = nil
		}
		if p.cur.Len() == 0 {
			write(pageNum, []byte(dict))
			continue
		}
		// Fonts: one new object each, added to the page's inline /Font dictionary.
		fonts := make([]string, 0, len(p.fonts))
		for f := range p.fonts {
			fonts = append(fonts, f)
		}
		sort.Strings(fonts)
		var fontRefs strings.Builder
		for _, f := range fonts {
			write(next, fontObject(f))
			fmt.Fprintf(&fontRefs, " /%s %d 0 R", fontKey(f), next)
			next++
		}
		if len(fonts) > 0 {
			fi := strings.Index(dict, "/Font")
			if fi < 0 {
				return nil, fmt.Errorf("pdfgen: page %d has no inline /Font resources", i+1)
			}
			open := strings.Index(dict[fi:], "<<")
			if open < 0 || strings.TrimSpace(dict[fi+5:fi+open]) != "" {
				return nil, fmt.Errorf("pdfgen: page %d's fonts are not an inline dictionary", i+1)
			}
			at := fi + open + 2
			dict = dict[:at] + fontRefs.String() + dict[at:]
		}
		// The page's own streams may leave a transformation in force: save the graphics state
		// before them and restore it before the new drawing, as editors do.
		save := next
		write(save, streamObj("", []byte("q\n"), false))
		content := next + 1
		write(content, streamObj("", append([]byte("Q\n"), p.cur.Bytes()...), false))
		next += 2
		c := regexp.MustCompile(`/Contents\s*(\d+\s+0\s+R|\[[^\]]*\])`).FindStringSubmatchIndex(dict)
		if c == nil {
			return nil, fmt.Errorf("pdfgen: page %d has no /Contents", i+1)
		}
		old := strings.Trim(dict[c[2]:c[3]], "[]")
		dict = dict[:c[0]] + fmt.Sprintf("/Contents [%d 0 R %s %d 0 R]", save, strings.TrimSpace(old), content) + dict[c[1]:]
		write(pageNum, []byte(dict))
		p.cur.Reset()
	}
	if len(a.info) > 0 {
		entries := map[string]string{}
		if a.infoNum != 0 {
			for _, m := range infoEntryRe.FindAllSubmatch(a.objs[a.infoNum], -1) {
				entries[string(m[1])] = string(m[2]) // kept escaped as written
			}
		} else {
			a.infoNum = next
			next++
		}
		for k, v := range a.info {
			entries[k] = escape(encode(v))
		}
		keys := make([]string, 0, len(entries))
		for k := range entries {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("<<")
		for _, k := range keys {
			fmt.Fprintf(&b, " /%s (%s)", k, entries[k])
		}
		b.WriteString(" >>")
		write(a.infoNum, []byte(b.String()))
		a.info = map[string]string{}
	}
	xref := writeXref(&buf, offsets)
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root %s 0 R", next, a.root)
	if a.infoNum != 0 {
		fmt.Fprintf(&buf, " /Info %d 0 R", a.infoNum)
	}
	fmt.Fprintf(&buf, " /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", a.prevXref, xref)
	return buf.Bytes(), nil
}

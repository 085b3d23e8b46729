package dashboard

import (
	"bufio"
	"fmt"
	"html"
	"io"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// writeSVG draws page p as an SVG in PDF points: filled rectangles in their colours, each word in
// its box (hidden words dashed in orange, since no reader sees them), and every signal located
// on this page outlined in red with its code.
func writeSVG(w io.Writer, p pdf.Page, signals []passbook.Signal) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.2f %.2f" width="%.0f" height="%.0f" font-family="Helvetica, Arial, sans-serif">`,
		p.Width, p.Height, p.Width*1.5, p.Height*1.5)
	fmt.Fprintf(bw, `<rect x="0" y="0" width="%.2f" height="%.2f" fill="#fff" stroke="#999"/>`, p.Width, p.Height)
	for _, r := range p.Rects {
		fmt.Fprintf(bw, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" fill-opacity="%.2f"/>`,
			r.Box.X0, r.Box.Y0, r.Box.X1-r.Box.X0, r.Box.Y1-r.Box.Y0, rgb(r.Color), alpha(r.Color))
	}
	for _, b := range p.Images {
		fmt.Fprintf(bw, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="#ddd" stroke="#aaa" stroke-dasharray="3 2"><title>image</title></rect>`,
			b.X0, b.Y0, b.X1-b.X0, b.Y1-b.Y0)
	}
	for _, word := range p.Words {
		b := word.Box
		h := b.Y1 - b.Y0
		if h <= 0 {
			continue
		}
		fill := rgb(word.Color)
		if word.Hidden {
			fmt.Fprintf(bw, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="none" stroke="#e67e00" stroke-dasharray="2 1"/>`,
				b.X0, b.Y0, b.X1-b.X0, h)
			fill = "#e67e00"
		}
		size := word.Size
		if size <= 0 || size > 2*h {
			size = h
		}
		fmt.Fprintf(bw, `<text x="%.2f" y="%.2f" font-size="%.2f" textLength="%.2f" lengthAdjust="spacingAndGlyphs" fill="%s"><title>%s %.1fpt</title>%s</text>`,
			b.X0, word.Baseline, size, b.X1-b.X0, fill, html.EscapeString(word.Font), word.Size, html.EscapeString(word.Text))
	}
	for _, s := range signals {
		if s.Page != p.Number || s.Box == nil {
			continue
		}
		b := s.Box
		fmt.Fprintf(bw, `<g class="signal"><rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="#e00" fill-opacity="0.12" stroke="#e00" stroke-width="1.2"/>`,
			b.X0-1, b.Y0-1, b.X1-b.X0+2, b.Y1-b.Y0+2)
		fmt.Fprintf(bw, `<text x="%.2f" y="%.2f" font-size="6" fill="#e00">%s</text><title>%s</title></g>`,
			b.X0, b.Y0-2, html.EscapeString(s.Code), html.EscapeString(s.Detail))
	}
	fmt.Fprint(bw, `</svg>`)
	return bw.Flush()
}

func rgb(c uint32) string { return fmt.Sprintf("#%06x", c>>8) }

func alpha(c uint32) float64 {
	a := c & 0xff
	return float64(a) / 255
}

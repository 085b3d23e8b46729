package pdfgen

import "strings"

// Advance widths in thousandths of an em for the printable ASCII characters 32–126, in the order
// of their codes: space ! " # $ % & ' ( ) * + , - . / 0–9 : ; < = > ? @ A–Z [ \ ] ^ _ ` a–z { | } ~.
// They follow the metrics of the standard faces closely enough for fixtures; since every font is
// written with these widths in its /Widths array, a reader places glyphs exactly as TextWidth says.
var sansWidths = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0–9
	278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A–M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N–Z
	278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a–m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n–z
	334, 260, 334, 584, // { | } ~
}

var serifWidths = [95]int{
	250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
	500, 500, 500, 500, 500, 500, 500, 500, 500, 500,
	278, 278, 564, 564, 564, 444, 921,
	722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
	722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611,
	333, 278, 333, 469, 500, 333,
	444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,
	500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444,
	480, 200, 480, 541,
}

// widthsFor returns the widths of codes 0–255 for a standard font name. Courier faces are
// monospaced (600); Times faces use serifWidths; everything else sansWidths. Codes above 126 take
// the width of a typical lowercase letter of the face.
func widthsFor(font string) [256]int {
	var w [256]int
	switch {
	case strings.HasPrefix(font, "Courier"):
		for i := range w {
			w[i] = 600
		}
		return w
	case strings.HasPrefix(font, "Times"):
		for i := range w {
			w[i] = 500
		}
		copy(w[32:127], serifWidths[:])
	default:
		for i := range w {
			w[i] = 556
		}
		copy(w[32:127], sansWidths[:])
	}
	w[160] = w[32] // no-break space
	return w
}

// TextWidth returns the advance width of s in points when drawn in font at size.
func TextWidth(font string, size float64, s string) float64 {
	w := widthsFor(font)
	total := 0
	for _, c := range encode(s) {
		total += w[c]
	}
	return float64(total) * size / 1000
}

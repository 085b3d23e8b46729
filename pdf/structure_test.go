package pdf

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rc4"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

func TestStructureOfAFileWrittenOnce(t *testing.T) {
	_, data := simplePage(textOps("F1", 12, 72, 700, "Hello"), "", "")
	d := open(t, data)
	s := d.Structure
	want := Structure{
		Version: "1.4",
		Info: map[string]string{
			"Producer":     "Passbook test (hand) writer",
			"Creator":      "été",
			"Title":        "Relevé",
			"CreationDate": "D:20260301120000Z",
		},
		Producers: []string{"Passbook test (hand) writer"},
		Revisions: 1,
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("structure\n got %+v\nwant %+v", s, want)
	}
}

func TestStructureOfAnIncrementalUpdate(t *testing.T) {
	b, first := simplePage(textOps("F1", 12, 72, 700, "Balance 100.00"), "", "")
	// The forger's update: a white box over the amount, a new amount in another font, and the
	// Info dictionary rewritten.
	b.set(4, streamObj("", textOps("F1", 12, 72, 700, "Balance 100.00")+"1 1 1 rg 120 695 50 16 re f 0 0 0 rg\n"+textOps("F2", 12, 122, 700, "900.00")))
	b.set(7, "<< /Producer (Editor 10) /ModDate (D:20260401000000Z) >>")
	data := b.finish(4, "/Root 1 0 R /Info 7 0 R", lastXref(first))
	data = append(data, "garbage after the end"...)

	d := open(t, data)
	s := d.Structure
	if s.Revisions != 2 || s.TrailingBytes != len("garbage after the end") || s.XrefRepaired {
		t.Errorf("revisions %d, trailing %d, repaired %v", s.Revisions, s.TrailingBytes, s.XrefRepaired)
	}
	if got := s.RevisionChanges; !reflect.DeepEqual(got, [][]string{{"content", "metadata"}}) {
		t.Errorf("changes %v", got)
	}
	if s.Info["Producer"] != "Editor 10" || s.Info["ModDate"] != "D:20260401000000Z" {
		t.Errorf("info %v", s.Info)
	}
	p := d.Pages[0]
	var amount Word
	var order int
	for i, w := range p.Words {
		if w.Text == "900.00" {
			amount, order = w, p.WordOrder[i]
		}
	}
	if amount.Font != "Courier" || len(p.Rects) != 1 || order <= p.Rects[0].Order || p.Rects[0].Color != 0xffffffff {
		t.Errorf("amount %+v order %d, rects %+v", amount, order, p.Rects)
	}
	if !reflect.DeepEqual(p.Fonts, []string{"Helvetica", "Courier"}) {
		t.Errorf("fonts %v", p.Fonts)
	}
}

func TestStructureFlags(t *testing.T) {
	tests := []struct {
		name    string
		catalog string
		page    string
		content string
		check   func(*Document) error
	}{
		{"javascript open action", "/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>", "", "", func(d *Document) error {
			if !d.Structure.JavaScript || !d.Structure.OpenAction {
				return fmt.Errorf("%+v", d.Structure)
			}
			return nil
		}},
		{"embedded file", "/Names << /EmbeddedFiles << /Names [(a.txt) << /Type /Filespec /F (a.txt) /EF << /F 7 0 R >> >>] >> >>", "", "", func(d *Document) error {
			if d.Structure.EmbeddedFiles != 1 || d.Structure.JavaScript {
				return fmt.Errorf("%+v", d.Structure)
			}
			return nil
		}},
		{"invisible text", "", "", "BT 3 Tr /F1 12 Tf 72 600 Td (secret) Tj ET\n", func(d *Document) error {
			if d.Pages[0].OCR {
				return errors.New("a page without an image taken for a scan")
			}
			for _, w := range d.Pages[0].Words {
				if w.Text == "secret" && w.Hidden {
					return nil
				}
			}
			return fmt.Errorf("words %+v", d.Pages[0].Words)
		}},
		{"text off the page", "", "", textOps("F1", 12, 700, 700, "outside"), func(d *Document) error {
			for _, w := range d.Pages[0].Words {
				if w.Text == "outside" && w.Hidden {
					return nil
				}
			}
			return fmt.Errorf("words %+v", d.Pages[0].Words)
		}},
		{"link annotation", "", "/Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 144 720] /Contents (go) >>]", "", func(d *Document) error {
			a := d.Pages[0].Annotations
			if len(a) != 1 || a[0].Subtype != "Link" || a[0].Box.Y0 != 72 || a[0].Box.X1 != 144 || a[0].Content != "go" {
				return fmt.Errorf("annotations %+v", a)
			}
			return nil
		}},
		{"inline image", "", "", "q 100 0 0 50 72 600 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x80\x40 EI Q\n", func(d *Document) error {
			im := d.Pages[0].Images
			if len(im) != 1 || im[0] != (passbook.Box{X0: 72, Y0: 142, X1: 172, Y1: 192}) {
				return fmt.Errorf("images %+v", im)
			}
			return nil
		}},
		{"one path, many rectangles", "", "", "0 0 1 rg " + manyRects(20) + "f\n", func(d *Document) error {
			r := d.Pages[0].Rects
			if len(r) != 20 || r[19].Box != (passbook.Box{X0: 10, Y0: 792 - 10 - 20*19 - 5, X1: 15, Y1: 792 - 10 - 20*19}) || r[0].Color != 0x0000ffff || r[0].Order != r[19].Order {
				return fmt.Errorf("rects %+v", r)
			}
			return nil
		}},
		{"scanned page with an OCR layer", "", "", "q 612 0 0 792 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x80\x40 EI Q\nBT 3 Tr /F1 12 Tf 72 600 Td (Balance 12.00) Tj ET\n", func(d *Document) error {
			p := d.Pages[0]
			// "Hello" is visible, "Balance" and "12.00" are the invisible layer: 2 of 3 words.
			if p.OCR {
				return fmt.Errorf("OCR with a third of the words visible: %+v", p.Words)
			}
			return nil
		}},
		{"text running up the page", "", "", "BT /F1 12 Tf 0 1 -1 0 300 300 Tm (Total 1,234.56) Tj ET\n", func(d *Document) error {
			var got []Word
			for _, w := range d.Pages[0].Words {
				if w.Rotation == 90 {
					got = append(got, w)
				}
			}
			if len(got) != 2 || got[0].Text != "Total" || got[1].Text != "1,234.56" || got[1].Box.Y1 > got[0].Box.Y0 || got[0].Baseline != 300 {
				return fmt.Errorf("words %+v", d.Pages[0].Words)
			}
			return nil
		}},
		{"crop box", "", "/CropBox [50 50 562 742]", textOps("F1", 12, -60, 400, "cropped"), func(d *Document) error {
			p := d.Pages[0]
			var hello, cropped Word
			for _, w := range p.Words {
				switch w.Text {
				case "Hello":
					hello = w
				case "cropped":
					cropped = w
				}
			}
			// Hello's baseline is at (72, 720) in user space: (22, 22) from the crop box's corner.
			if p.Width != 512 || p.Height != 692 || hello.Box.X0 != 22 || hello.Baseline != 22 || hello.Hidden || !cropped.Hidden {
				return fmt.Errorf("page %v×%v words %+v", p.Width, p.Height, p.Words)
			}
			return nil
		}},
		{"rotated page", "", "/Rotate 90", textOps("F1", 12, 72, 700, "turned"), func(d *Document) error {
			p := d.Pages[0]
			var w Word
			for _, x := range p.Words {
				if x.Text == "turned" {
					w = x
				}
			}
			if p.Width != 792 || p.Height != 612 || len(p.Words) != 2 {
				return fmt.Errorf("page %v×%v %+v", p.Width, p.Height, p.Words)
			}
			// (72, 700) in user space is 92 pt below the top of the unrotated page, 72 from its
			// left; turned a quarter clockwise it is 92 pt from the left, 72 from the top.
			// Text that ran left to right now runs down the page, its baseline vertical.
			if w.Baseline != 700 || w.Box.X0 >= 700 || w.Box.X1 <= 700 || w.Rotation != 270 || abs(w.Box.Y0-72) > 0.5 {
				return fmt.Errorf("word %+v", w)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, data := simplePage(textOps("F1", 12, 72, 720, "Hello")+tt.content, tt.catalog, tt.page)
			if err := tt.check(open(t, data)); err != nil {
				t.Error(err)
			}
		})
	}
}

// manyRects draws n 5×5 squares down the page in one path.
func manyRects(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "10 %d 5 5 re ", 10+20*i)
	}
	return b.String()
}

// encrypted writes a one-page file protected with the standard security handler (revision 2,
// RC4 40-bit) whose user password is user; an empty user password opens it.
func encrypted(user string) []byte {
	pad := []byte("\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a")
	padded := func(pw string) []byte { return append([]byte(pw), pad...)[:32] }
	id := []byte("0123456789abcdef")
	// O from the owner password "owner".
	ok := md5.Sum(padded("owner"))
	o := padded(user)
	c, _ := rc4.NewCipher(ok[:5])
	c.XORKeyStream(o, o)
	const p = -44 // print and copy allowed, modify not
	h := md5.New()
	h.Write(padded(user))
	h.Write(o)
	h.Write([]byte{byte(p & 0xff), byte(p >> 8 & 0xff), byte(p >> 16 & 0xff), byte(p >> 24 & 0xff)})
	h.Write(id)
	key := h.Sum(nil)[:5]
	u := append([]byte(nil), pad...)
	c, _ = rc4.NewCipher(key)
	c.XORKeyStream(u, u)
	objKey := func(n int) []byte {
		s := md5.Sum(append(append([]byte(nil), key...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
		return s[:10]
	}
	content := []byte(textOps("F1", 12, 72, 700, "Locked 12.00"))
	c, _ = rc4.NewCipher(objKey(4))
	c.XORKeyStream(content, content)

	b := newPDF()
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	b.add(streamObj("", string(content)))
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	b.add(fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P %d >>", o, u, p))
	return b.finish(1, fmt.Sprintf("/Root 1 0 R /Encrypt 6 0 R /ID [<%x> <%x>]", id, id), 0)
}

func TestEncrypted(t *testing.T) {
	d := open(t, encrypted(""))
	if !d.Structure.Encrypted || len(d.Pages[0].Words) != 2 || d.Pages[0].Words[1].Text != "12.00" {
		t.Errorf("owner-password file: %+v %+v", d.Structure, d.Pages[0].Words)
	}
	_, err := engine(t).Open(context.Background(), encrypted("secret"))
	if !errors.Is(err, ErrEncrypted) || errors.Is(err, ErrWrongPassword) {
		t.Errorf("user-password file: err = %v", err)
	}
	d, err = engine(t).OpenPassword(context.Background(), encrypted("secret"), "secret")
	if err != nil || !d.Structure.Encrypted || len(d.Pages[0].Words) != 2 || d.Pages[0].Words[1].Text != "12.00" {
		t.Errorf("user-password file opened with its password: %v %+v", err, d)
	}
	_, err = engine(t).OpenPassword(context.Background(), encrypted("secret"), "Secret")
	if !errors.Is(err, ErrWrongPassword) || !errors.Is(err, ErrEncrypted) {
		t.Errorf("user-password file, wrong password: err = %v", err)
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{`(plain)`, "plain"},
		{`(a \(nested (pair)\) \\ \101\60x)`, `a (nested (pair)) \ A0x`},
		{"(line\\\ncontinued)", "linecontinued"},
		{`<FEFF00E90020004C>`, "é L"},
		{`<48 65 6C 6C 6F>`, "Hello"},
		{`<486>`, "H`"},
		{`(\215quoted\216 \223)`, "“quoted” ﬁ"},
		{"(\xef\xbb\xbfutf-8 \xc3\xa9)", "utf-8 é"},
	}
	for _, tt := range tests {
		var b []byte
		if tt.raw[0] == '(' {
			b, _ = readLiteral([]byte(tt.raw))
		} else {
			b, _ = readHex([]byte(tt.raw))
		}
		if got := decodeText(b); got != tt.want {
			t.Errorf("%s → %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestStructureXMPAndBrokenXref(t *testing.T) {
	b, first := simplePage(textOps("F1", 12, 72, 700, "Hello"), "", "")
	packet := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer="Forger 2"/></rdf:RDF></x:xmpmeta>`
	b.add(streamObj("/Type /Metadata /Subtype /XML", "<?xpacket begin=\"\"?>"+packet+"<?xpacket end=\"w\"?>"))
	b.set(1, "<< /Type /Catalog /Pages 2 0 R /Metadata 8 0 R >>")
	// finish writes entries from object 1 on only for a first revision; rewrite 1 and 8.
	data := b.finish(1, "/Root 1 0 R /Info 7 0 R", lastXref(first))
	s := open(t, data).Structure
	if s.XMP != packet || s.Revisions != 2 || s.XrefRepaired {
		t.Errorf("xmp %q revisions %d repaired %v", s.XMP, s.Revisions, s.XrefRepaired)
	}
	if !reflect.DeepEqual(s.RevisionChanges, [][]string{{"metadata", "other"}}) {
		t.Errorf("changes %v", s.RevisionChanges)
	}

	// Shift every object by one byte without fixing the table: readers must rebuild it.
	at := bytes.Index(first, []byte("1 0 obj"))
	broken := append([]byte(nil), first[:at]...)
	broken = append(broken, '\n')
	broken = append(broken, first[at:]...)
	d := open(t, broken)
	if !d.Structure.XrefRepaired || len(d.Pages[0].Words) != 1 {
		t.Errorf("broken xref: repaired %v, words %+v", d.Structure.XrefRepaired, d.Pages[0].Words)
	}
}

func TestOCRLayer(t *testing.T) {
	scan := "q 612 0 0 792 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x80\x40 EI Q\n"
	layer := "BT 3 Tr /F1 12 Tf 72 600 Td (Balance 12.00) Tj ET\n"
	tests := []struct {
		name    string
		content string
		want    bool
	}{
		{"scan with its text layer", scan + layer, true},
		{"scan without text", scan, false},
		{"text layer without a scan", layer, false},
		{"visible text over an image", scan + textOps("F1", 12, 72, 600, "Balance 12.00"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, data := simplePage(tt.content, "", "")
			if got := open(t, data).Pages[0].OCR; got != tt.want {
				t.Errorf("OCR = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProducersInFileOrder(t *testing.T) {
	data := []byte("%PDF-1.7\n1 0 obj\n<< /Producer (Skia/PDF m156) /Creator (x\\(y\\)) >>\nendobj\n" +
		"9 0 obj\n<< /ProducerX (no) /Producer <FEFF005000440046002D00580043> >>\nendobj\n" +
		"10 0 obj\n<< /Producer<<>> >>\nendobj\n")
	got := producers(data)
	if want := []string{"Skia/PDF m156", "PDF-XC"}; !slices.Equal(got, want) {
		t.Fatalf("producers = %q, want %q", got, want)
	}
}

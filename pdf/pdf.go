// Package pdf reads PDF files for the statement engine and the authenticity checks: the words of
// every page with their boxes, fonts and sizes, the filled rectangles and images drawn on each page,
// and the document's structure (metadata, revisions, encryption, scripts, annotations, embedded
// files). PDFium does the reading, compiled to WebAssembly and run in a sandbox, so a hostile file
// cannot reach the host.
package pdf

import (
	"context"

	"github.com/passbookhq/passbook"
)

// Word is a run of characters with no space between them, on one baseline. A page's words come
// in the order PDFium's text layer gives them, which follows the drawing order (for
// Chromium-printed pages, the order of the HTML); group them into lines by position.
type Word struct {
	Text     string
	Box      passbook.Box // advance widths × the font's ascent and descent (as pdftotext -bbox), points from the page's top-left corner
	Baseline float64      // y of the baseline, points from the top (x for text running up or down)
	Font     string       // PostScript font name, subset prefix removed ("Helvetica-Bold")
	Size     float64      // font size in points, as rendered (text matrix scale included)
	Color    uint32       // fill colour as 0xRRGGBBAA (opaque black is 0x000000ff)
	Rotation int          // 0, 90, 180 or 270: the direction the text runs, counter-clockwise on the displayed page
	Hidden   bool         // drawn invisible (render mode 3) or entirely outside the page's crop box
	// Confidence is the OCR engine's confidence in the word, 0–100, on a page read by OCR
	// (Page.Scanned); 0 for words of a text layer.
	Confidence float64
	// OCRText is what OCR read when Text is a correction of it (a letter read in place of a digit
	// in an amount or a date: "1O5.2l" → "105.21"); empty when Text is what OCR read.
	OCRText string
}

// Rect is a filled (non-stroked) rectangle or rectangular path drawn on a page.
type Rect struct {
	Box   passbook.Box
	Color uint32 // fill colour as 0xRRGGBBAA
	Order int    // position of the object in the page's drawing order (later covers earlier)
}

// Page is one page's geometry and content.
type Page struct {
	Number int     // 1-based
	Width  float64 // points
	Height float64
	Words  []Word
	Rects  []Rect         // filled rectangles, for white-out detection
	Images []passbook.Box // placed images
	// WordOrder[i] is the drawing-order position of Words[i]'s first character, comparable with Rect.Order.
	WordOrder   []int
	Fonts       []string // fonts used on the page
	Annotations []Annotation
	// OCR reports a scanned page: an image covers most of it and most of its words are an
	// invisible text layer over the image, as OCR tools write it. Those words are Hidden too;
	// read them as the page's text, and do not take their invisibility for a forger's.
	OCR bool
	// Scanned reports a page whose words were read from its pixels by Passbook's OCR: an image
	// file's page, or a PDF page without a usable text layer. Its words carry a Confidence.
	Scanned bool
	// TextLayer says what became of the page's own text when it was Scanned: "none" (no words
	// at all), "ocr-used" (an invisible OCR layer good enough to read, unhidden), "ocr-replaced"
	// (an invisible OCR layer too poor to read, replaced by Passbook's OCR). Empty otherwise.
	TextLayer string
}

// Annotation is a PDF annotation on a page.
type Annotation struct {
	Subtype string // "Link", "FreeText", "Widget", …
	Box     passbook.Box
	Content string
}

// Structure is what the file itself says, apart from its pages.
type Structure struct {
	Version string            // "1.7"
	Info    map[string]string // the Info dictionary: Producer, Creator, CreationDate, ModDate, Title, Author, …
	// Producers are the Producer values written in the clear, in file order: an incremental
	// update that rewrites the Info dictionary leaves the earlier value in place before it.
	Producers     []string
	XMP           string // the XMP metadata packet, if any
	Revisions     int    // 1 for a file written once; +1 per incremental update
	TrailingBytes int    // bytes after the last %%EOF (beyond whitespace)
	XrefRepaired  bool   // the cross-reference table was broken and had to be rebuilt
	Encrypted     bool
	JavaScript    bool // document or page JavaScript, or JavaScript actions
	OpenAction    bool // an action run when the file opens
	EmbeddedFiles int
	FormFields    int
	// RevisionChanges says, for each incremental update (index 0 is the first update), what it
	// touched: "content", "fonts", "metadata", "annotations", "other".
	RevisionChanges [][]string
}

// Document is a parsed PDF, or an image file read by OCR into the same shape.
type Document struct {
	Pages     []Page
	Structure Structure
	// Image describes the file when it is an image (JPEG, PNG, BMP, TIFF) rather than a PDF;
	// its pages are then all Scanned and Structure is empty.
	Image *ImageFile
}

// ImageFile is what an image file says about itself, for the authenticity checks.
type ImageFile struct {
	Format        string            // "jpeg", "png", "bmp", "tiff"
	Width, Height int               // pixels of the first page
	Pages         int               // 1, or a multi-page TIFF's page count
	DPI           float64           // declared resolution (JFIF, EXIF, pHYs, TIFF, BMP), 0 when none
	Metadata      map[string]string // EXIF/TIFF tags and PNG text: Software, DateTime, DateTimeOriginal, Make, Model, …
	// JPEG only: the quantisation tables (in zig-zag order, as stored) and the quality (1–100)
	// the luminance table corresponds to on the IJG scale, 0 when it is no IJG table.
	QuantTables [][64]uint16
	Quality     int
	// Progressive is a progressive JPEG; Subsampling is the luminance sampling factors ("2x2").
	Progressive bool
	Subsampling string
}

// Engine opens PDFs. Implementations are safe for concurrent use.
type Engine interface {
	// Open parses data. A file that is not a PDF, is truncated beyond repair or is encrypted with
	// an unknown password returns an error wrapping ErrNotPDF, ErrDamaged or ErrEncrypted.
	Open(ctx context.Context, data []byte) (*Document, error)
	Close() error
}

// Errors that Open wraps, for callers that tell the user what is wrong with a file.
var (
	ErrNotPDF    = errorString("not a PDF file")
	ErrDamaged   = errorString("the PDF file is damaged and cannot be read")
	ErrEncrypted = errorString("the PDF file is password-protected")
	// ErrWrongPassword is a password that does not open the file (OpenPassword).
	ErrWrongPassword = errorString("the password does not open the PDF file")
	ErrTooLarge      = errorString("the PDF file has too many pages or objects to read")
	// ErrTooComplex is a document over its budget of work (see Budget): operators, text objects,
	// inflated bytes, objects per page, sandbox memory or time. The error wrapping it says which.
	ErrTooComplex = errorString("the PDF file is too complex to read")
)

type errorString string

func (e errorString) Error() string { return string(e) }

package dashboard

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// renderDPI is the resolution of the page images: 612 pt (US Letter) becomes 1,020 pixels.
const renderDPI = 120

// maxOriginal bounds how much of a stored file the Dashboard reads into memory.
const maxOriginal = 64 << 20

// document is an uploaded document with its stored file.
type document struct {
	Pos  int
	Doc  passbook.Document
	File passbook.UploadFile
}

// documentOf returns the document at the path's {pos} of the signed-in customer's login, with
// the upload file it was read from (matched by content hash).
func (h *Handler) documentOf(r *request) (*passbook.LoginRecord, *document, error) {
	rec, err := h.loginOf(r)
	if err != nil {
		return nil, nil, err
	}
	pos, err := strconv.Atoi(r.PathValue("pos"))
	if err != nil || pos < 0 {
		return nil, nil, passbook.Errorf(passbook.NotFound, "no such document")
	}
	docs, err := h.cfg.DB.LoginDocuments(r.Context(), rec.Id)
	if err != nil {
		return nil, nil, err
	}
	if pos >= len(docs) {
		return nil, nil, passbook.Errorf(passbook.NotFound, "no such document")
	}
	up, err := h.cfg.DB.UploadOfLogin(r.Context(), r.Customer.Id, rec.Id)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, nil, passbook.Errorf(passbook.NotFound, "no upload for this login")
	}
	if err != nil {
		return nil, nil, err
	}
	d := &document{Pos: pos, Doc: docs[pos]}
	found := false
	for _, f := range up.Files {
		if f.SHA256 != "" && f.SHA256 == d.Doc.SHA256 {
			d.File, found = f, true
			break
		}
	}
	if !found && pos < len(up.Files) {
		d.File, found = up.Files[pos], true
	}
	if !found {
		return nil, nil, passbook.Errorf(passbook.NotFound, "the document's file is not stored")
	}
	return rec, d, nil
}

func (h *Handler) readFile(ctx context.Context, f passbook.UploadFile) ([]byte, error) {
	if h.cfg.Blobs == nil {
		return nil, passbook.Errorf(passbook.NotFound, "files are not stored here")
	}
	rc, err := h.cfg.Blobs.Open(ctx, f.BlobKey)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, maxOriginal))
}

// evidencePage is one page of the evidence view.
type evidencePage struct {
	Number        int
	Width, Height float64
	Signals       []evidenceSignal
}

// evidenceSignal is a numbered signal of the legend.
type evidenceSignal struct {
	N int // 1-based, as numbered on the page and in the legend
	passbook.Signal
	Row string // id of the transaction row it concerns, "" when none is known
}

func (h *Handler) evidence(w http.ResponseWriter, r *request) (string, view, error) {
	ctx := r.Context()
	rec, d, err := h.documentOf(r)
	if err != nil {
		return "", view{}, err
	}
	accounts, err := h.cfg.DB.Accounts(ctx, rec.Id)
	if err != nil {
		return "", view{}, err
	}
	var signals []evidenceSignal
	if d.Doc.Authenticity != nil {
		for i, s := range d.Doc.Authenticity.Signals {
			signals = append(signals, evidenceSignal{N: i + 1, Signal: s})
		}
	}
	var pages []evidencePage
	var drawErr string
	data, err := h.readFile(ctx, d.File)
	if err != nil {
		return "", view{}, err
	}
	var parsed *pdf.Document
	if h.cfg.PDF != nil && strings.Contains(d.File.MediaType, "pdf") {
		if parsed, err = h.cfg.PDF.Open(ctx, data); err != nil {
			drawErr = "The original pages cannot be drawn: " + err.Error()
		}
	}
	if parsed != nil {
		for _, p := range parsed.Pages {
			ep := evidencePage{Number: p.Number, Width: p.Width, Height: p.Height}
			for i := range signals {
				s := &signals[i]
				if s.Page == p.Number && s.Box != nil {
					s.Row = matchTransaction(p, *s.Box, accounts)
					ep.Signals = append(ep.Signals, *s)
				}
			}
			pages = append(pages, ep)
		}
	}
	rows, _ := filterTransactions(accounts, txQuery{})
	if len(rows) > 1000 {
		rows = rows[:1000]
	}
	r.audit(h, "view_document", rec.Id, d.Pos, d.Doc.FileName)
	decisions, err := h.cfg.DB.Decisions(ctx, r.Customer.Id, rec.Id)
	if err != nil {
		return "", view{}, err
	}
	var mine []passbook.Decision
	for _, x := range decisions {
		if x.Document == d.Pos {
			mine = append(mine, x)
		}
	}
	return "evidence.html", view{Title: d.Doc.FileName, Data: map[string]any{
		"Login": rec, "Doc": d.Doc, "Pos": d.Pos, "File": d.File, "Pages": pages, "Signals": signals, "DrawError": drawErr,
		"Rendered": h.cfg.Render != nil, "Transactions": rows, "Decisions": mine, "CanDecide": roleRank[r.User.Role] >= roleAnalyst,
	}}, nil
}

// rowID is the id of a transaction's row in the evidence view.
func rowID(account int, t passbook.Transaction) string {
	return "tx-" + strconv.Itoa(account) + "-" + t.Id
}

// matchTransaction finds the transaction a signal's box concerns: the amounts printed in the box
// (or on its line) against the transactions' amounts, with the line's words against their
// descriptions to choose among equal amounts. It returns the row id, "" when nothing matches.
func matchTransaction(p pdf.Page, box passbook.Box, accounts []passbook.Account) string {
	var inBox []passbook.Money
	var line strings.Builder
	for _, w := range p.Words {
		cy := (w.Box.Y0 + w.Box.Y1) / 2
		if cy < box.Y0-1 || cy > box.Y1+1 {
			continue
		}
		line.WriteString(strings.ToLower(w.Text))
		line.WriteByte(' ')
		if w.Box.X1 < box.X0-1 || w.Box.X0 > box.X1+1 {
			continue
		}
		if m, ok := statement.PrintedAmount(w.Text); ok {
			inBox = append(inBox, m)
		}
	}
	lineText := line.String()
	best, bestScore := "", 0
	for ai, a := range accounts {
		for _, t := range a.Transactions {
			score := 0
			for _, m := range inBox {
				for _, v := range []*passbook.Money{t.Debit, t.Credit, t.Balance} {
					if v != nil && *v == m {
						score += 2
					}
				}
			}
			if score == 0 {
				continue
			}
			desc := strings.ToLower(strings.TrimSpace(t.Description))
			if f := strings.Fields(desc); len(f) > 0 && strings.Contains(lineText, f[0]) {
				score++
			}
			if score > bestScore {
				best, bestScore = rowID(ai, t), score
			}
		}
	}
	return best
}

// pageImage answers page {page} of a document: the original page rendered as a PNG by PDFium
// (page/N.png), or the page as read, drawn as an SVG (page/N.svg).
func (h *Handler) pageImage(w http.ResponseWriter, r *request) (string, view, error) {
	ctx := r.Context()
	name := r.PathValue("page")
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name, ext = name[:i], name[i+1:]
	}
	pageNo, err := strconv.Atoi(name)
	if err != nil || pageNo < 1 || (ext != "png" && ext != "svg") {
		return "", view{}, passbook.Errorf(passbook.NotFound, "no such page")
	}
	_, d, err := h.documentOf(r)
	if err != nil {
		return "", view{}, err
	}
	data, err := h.readFile(ctx, d.File)
	if err != nil {
		return "", view{}, err
	}
	if ext == "png" {
		if h.cfg.Render == nil {
			return "", view{}, passbook.Errorf(passbook.NotFound, "pages are not rendered here")
		}
		png, err := h.cfg.Render(ctx, data, pageNo, renderDPI)
		if err != nil {
			return "", view{}, passbook.Errorf(passbook.UnsupportedFile, "this page cannot be drawn: %v", err)
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "private, max-age=3600")
		w.Write(png)
		return "", view{}, nil
	}
	if h.cfg.PDF == nil {
		return "", view{}, passbook.Errorf(passbook.NotFound, "pages are not drawn here")
	}
	doc, err := h.cfg.PDF.Open(ctx, data)
	if err != nil {
		return "", view{}, passbook.Errorf(passbook.UnsupportedFile, "this document cannot be drawn: %v", err)
	}
	if pageNo > len(doc.Pages) {
		return "", view{}, passbook.Errorf(passbook.NotFound, "the document has %d pages", len(doc.Pages))
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	if err := writeSVG(w, doc.Pages[pageNo-1]); err != nil {
		h.cfg.Logger.WarnContext(ctx, "dashboard svg", "err", err)
	}
	return "", view{}, nil
}

// original answers the document's file as it was uploaded.
func (h *Handler) original(w http.ResponseWriter, r *request) (string, view, error) {
	rec, d, err := h.documentOf(r)
	if err != nil {
		return "", view{}, err
	}
	data, err := h.readFile(r.Context(), d.File)
	if err != nil {
		return "", view{}, err
	}
	r.audit(h, "download_document", rec.Id, d.Pos, d.File.FileName)
	attachment(w, d.File.FileName, d.File.MediaType)
	w.Write(data)
	return "", view{}, nil
}

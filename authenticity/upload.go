package authenticity

import (
	"sort"
	"strings"
	"unicode"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/statement"
)

// contiguousDays is the largest gap, in days, between one statement's end and the next one's
// start that still counts as consecutive (weekends and cycle dates move the cut by a few days).
const contiguousDays = 4

// CrossSignals compares the documents of one upload and returns the signals of each, by index:
// what AnalyzeUpload adds to each document's own signals. It reads only Name, Statement and the
// digest of Data, so a caller that analysed each document on its own (Analyze) and let its bytes
// go may pass any digest of the file's bytes (its SHA-256) as Data.
func CrossSignals(docs []Input) [][]passbook.Signal { return crossSignals(docs) }

// crossSignals compares the documents of one upload and returns the signals of each, by index.
func crossSignals(docs []Input) [][]passbook.Signal {
	out := make([][]passbook.Signal, len(docs))
	name := func(i int) string {
		if docs[i].Name != "" {
			return "“" + docs[i].Name + "”"
		}
		return "document " + itoa(i+1)
	}

	// The same file twice.
	first := map[[32]byte]int{}
	for i, d := range docs {
		if len(d.Data) == 0 {
			continue
		}
		fp := fingerprint(d.Data)
		if j, ok := first[fp]; ok {
			out[i] = append(out[i], signal(DuplicateFile, passbook.Medium, 0, nil, "the same file as %s", name(j)))
			continue
		}
		first[fp] = i
	}

	// Holders.
	var holders []int
	for i, d := range docs {
		if d.Statement != nil && normName(d.Statement.Holder.Name) != "" {
			holders = append(holders, i)
		}
	}
	for k := 1; k < len(holders); k++ {
		i, j := holders[0], holders[k]
		a, b := docs[i].Statement.Holder, docs[j].Statement.Holder
		if !sameName(a.Name, b.Name) {
			out[j] = append(out[j], signal(HolderMismatch, passbook.Medium, 0, nil,
				"the holder is “%s” here but “%s” in %s", clip(b.Name, 60), clip(a.Name, 60), name(i)))
		} else if x, y := normName(a.Address.CivicAddress), normName(b.Address.CivicAddress); x != "" && y != "" && x != y {
			out[j] = append(out[j], signal(AddressMismatch, passbook.Low, 0, nil,
				"the holder's address is “%s” here but “%s” in %s", clip(b.Address.CivicAddress, 60), clip(a.Address.CivicAddress, 60), name(i)))
		}
	}

	// Periods and balances of each account, in date order.
	type period struct {
		doc int
		st  *statement.Result
		acc *statement.Account
	}
	byAccount := map[string][]period{}
	for i, d := range docs {
		st := d.Statement
		if st == nil || st.PeriodStart.IsZero() || st.PeriodEnd.IsZero() {
			continue
		}
		if j, dup := first[fingerprint(d.Data)]; dup && j != i && len(d.Data) > 0 {
			continue // a duplicate is reported as such, not as an overlap
		}
		for k := range st.Accounts {
			if key := accountKey(st.Accounts[k].Number); key != "" {
				byAccount[key] = append(byAccount[key], period{i, st, &st.Accounts[k]})
			}
		}
	}
	for _, ps := range byAccount {
		sort.SliceStable(ps, func(a, b int) bool { return ps[a].st.PeriodStart.Before(ps[b].st.PeriodStart) })
		for k := 1; k < len(ps); k++ {
			prev, cur := ps[k-1], ps[k]
			if prev.doc == cur.doc {
				continue
			}
			acct := cur.acc.Number
			gap := prev.st.PeriodEnd.DaysUntil(cur.st.PeriodStart)
			switch {
			case gap <= 0:
				out[cur.doc] = append(out[cur.doc], signal(PeriodOverlap, passbook.Medium, 0, nil,
					"account %s: this statement (%s – %s) overlaps %s (%s – %s)", acct,
					cur.st.PeriodStart.ISO(), cur.st.PeriodEnd.ISO(), name(prev.doc), prev.st.PeriodStart.ISO(), prev.st.PeriodEnd.ISO()))
			case gap > contiguousDays:
				out[cur.doc] = append(out[cur.doc], signal(PeriodGap, passbook.Low, 0, nil,
					"account %s: %d days are missing between %s (ends %s) and this statement (starts %s)", acct,
					gap-1, name(prev.doc), prev.st.PeriodEnd.ISO(), cur.st.PeriodStart.ISO()))
			default:
				if prev.acc.Closing != nil && cur.acc.Opening != nil && *prev.acc.Closing != *cur.acc.Opening {
					page, box := 0, (*passbook.Box)(nil)
					if cur.acc.OpeningAt != nil {
						page, box = cur.acc.OpeningAt.Page, locBox(*cur.acc.OpeningAt)
					}
					out[cur.doc] = append(out[cur.doc], signal(BalanceChain, passbook.High, page, box,
						"account %s: opening balance %s, but %s closed the previous period at %s", acct,
						*cur.acc.Opening, name(prev.doc), *prev.acc.Closing))
				}
			}
		}
	}
	return out
}

// normName reduces a name or address to upper-case letters and digits separated by single spaces.
func normName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToUpper(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(foldAccent(r))
		default:
			space = true
		}
	}
	return b.String()
}

// foldAccent maps the accented capitals of French and other Latin names to their base letter.
func foldAccent(r rune) rune {
	switch r {
	case 'À', 'Â', 'Ä', 'Á', 'Ã':
		return 'A'
	case 'É', 'È', 'Ê', 'Ë':
		return 'E'
	case 'Î', 'Ï', 'Í', 'Ì':
		return 'I'
	case 'Ô', 'Ö', 'Ó', 'Ò', 'Õ':
		return 'O'
	case 'Ù', 'Û', 'Ü', 'Ú':
		return 'U'
	case 'Ç':
		return 'C'
	case 'Ñ':
		return 'N'
	}
	return r
}

// sameName reports whether two holder names name the same people: equal once normalised, or the
// words of one contained in the other ("JOHN SMITH" and "JOHN A SMITH", "MR JOHN SMITH").
func sameName(a, b string) bool {
	x, y := strings.Fields(normName(a)), strings.Fields(normName(b))
	if len(x) == 0 || len(y) == 0 {
		return true
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	have := map[string]int{}
	for _, w := range y {
		have[w]++
	}
	for _, w := range x {
		if have[w] == 0 {
			return false
		}
		have[w]--
	}
	return true
}

// accountKey identifies an account across statements: its digits, or only the last four when the
// number is masked.
func accountKey(number string) string {
	var d strings.Builder
	masked := false
	for _, r := range number {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == 'X' || r == 'x' || r == '*' || r == '•':
			masked = true
		}
	}
	s := d.String()
	if masked && len(s) > 4 {
		s = s[len(s)-4:]
	}
	if masked {
		return "…" + s
	}
	return s
}

package authenticity

import (
	"fmt"
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

	// Holders: documents whose holders name the same person (or share one, for joint accounts)
	// fall in one group. When there are several groups, the documents outside the largest — all
	// of them when no group is largest — belong to someone else.
	out = holderSignals(docs, out, name)

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

// holderSignals adds HOLDER_NAME_MISMATCH and HOLDER_ADDRESS_MISMATCH to out.
func holderSignals(docs []Input, out [][]passbook.Signal, name func(int) string) [][]passbook.Signal {
	var idx []int
	for i, d := range docs {
		if d.Statement != nil && len(holderPeople(d.Statement.Holder.Name)) > 0 {
			idx = append(idx, i)
		}
	}
	// Union-find over the documents with a holder name.
	parent := map[int]int{}
	var find func(int) int
	find = func(i int) int {
		if parent[i] == i {
			return i
		}
		parent[i] = find(parent[i])
		return parent[i]
	}
	for _, i := range idx {
		parent[i] = i
	}
	for a := 0; a < len(idx); a++ {
		for b := a + 1; b < len(idx); b++ {
			i, j := idx[a], idx[b]
			if sameHolder(docs[i].Statement.Holder.Name, docs[j].Statement.Holder.Name) {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for _, i := range idx {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	if len(roots) > 1 {
		largest, tie := roots[0], false
		for _, r := range roots[1:] {
			switch n, m := len(groups[r]), len(groups[largest]); {
			case n > m:
				largest, tie = r, false
			case n == m:
				tie = true
			}
		}
		var names []string
		for _, r := range roots {
			names = append(names, "“"+clip(docs[r].Statement.Holder.Name, 40)+"”")
		}
		for _, r := range roots {
			if r == largest && !tie {
				continue
			}
			for _, i := range groups[r] {
				detail := fmt.Sprintf("this upload holds the statements of %d different holders (%s); this one is “%s”",
					len(roots), strings.Join(names, ", "), clip(docs[i].Statement.Holder.Name, 60))
				if !tie {
					detail = fmt.Sprintf("the holder is “%s” here but “%s” in %s (%d different holders in this upload)",
						clip(docs[i].Statement.Holder.Name, 60), clip(docs[largest].Statement.Holder.Name, 60), name(largest), len(roots))
				}
				out[i] = append(out[i], signal(HolderMismatch, passbook.High, 0, nil, "%s", detail))
			}
		}
	}
	// One holder, another street address.
	for _, r := range roots {
		g := groups[r]
		for _, j := range g[1:] {
			i := g[0]
			a, b := docs[i].Statement.Holder, docs[j].Statement.Holder
			if x, y := normName(a.Address.CivicAddress), normName(b.Address.CivicAddress); x != "" && y != "" && x != y {
				out[j] = append(out[j], signal(AddressMismatch, passbook.Low, 0, nil,
					"the holder's address is “%s” here but “%s” in %s", clip(b.Address.CivicAddress, 60), clip(a.Address.CivicAddress, 60), name(i)))
			}
		}
	}
	return out
}

// nameTitles are honorifics and suffixes a statement may print around a holder's name, in
// English and French; they say nothing about who the person is.
var nameTitles = map[string]bool{
	"MR": true, "MRS": true, "MS": true, "MISS": true, "MX": true, "DR": true, "PROF": true, "REV": true,
	"SIR": true, "DAME": true, "LORD": true, "LADY": true, "JR": true, "SR": true, "II": true, "III": true, "IV": true,
	"ESQ": true, "M": true, "MME": true, "MLLE": true, "ME": true, "MM": true, "MESSRS": true,
}

// holderPeople splits a holder line into the people it names — "JOHN SMITH AND JANE SMITH",
// "J. Smith & M. Smith", "SMITH JOHN / SMITH JANE" — each as its words without titles.
func holderPeople(s string) [][]string {
	s = strings.ToUpper(s)
	for _, sep := range []string{" AND ", " ET ", " OR ", " OU ", "&", "/", ";", "\n", "+"} {
		s = strings.ReplaceAll(s, sep, "|")
	}
	var out [][]string
	for _, part := range strings.Split(s, "|") {
		var words []string
		for _, w := range strings.Fields(normName(part)) {
			if !nameTitles[w] {
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			out = append(out, words)
		}
	}
	// "JOHN AND JANE SMITH": a first part of one word takes the surname of the next.
	for k := 0; k+1 < len(out); k++ {
		if len(out[k]) == 1 && len(out[k+1]) >= 2 {
			out[k] = append(out[k], out[k+1][len(out[k+1])-1])
		}
	}
	return out
}

// sameHolder reports whether two holder lines share a person (a joint account shares one).
func sameHolder(a, b string) bool {
	pa, pb := holderPeople(a), holderPeople(b)
	if len(pa) == 0 || len(pb) == 0 {
		return true
	}
	for _, x := range pa {
		for _, y := range pb {
			if samePerson(x, y) {
				return true
			}
		}
	}
	return false
}

// samePerson reports whether two names, as words without titles, name the same person in any
// order: at least one full word in common (the surname, or the given name of a one-word line)
// and every word of the shorter name matched by a word of the other — equal, or an initial of it
// ("J" for "JOHN"). Middle names and initials the shorter one leaves out are allowed.
func samePerson(x, y []string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	used := make([]bool, len(y))
	full := false
	// Full words first, so that an initial does not take a word a full word needs.
	for pass := 0; pass < 2; pass++ {
		for _, w := range x {
			if (len(w) > 1) != (pass == 0) {
				continue
			}
			found := false
			for k, v := range y {
				if used[k] {
					continue
				}
				if w == v || len(w) == 1 && strings.HasPrefix(v, w) || len(v) == 1 && strings.HasPrefix(w, v) {
					used[k], found = true, true
					if w == v && len(w) > 1 {
						full = true
					}
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	return full
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

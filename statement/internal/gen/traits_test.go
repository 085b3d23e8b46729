package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

// Every trait of issue 10 but the OCR one (14) has at least two layouts, and every layout's
// variants draw a consistent truth and render for several seeds (no browser needed).
func TestTraitMatrix(t *testing.T) {
	layouts := map[int][]string{}
	names := map[string]bool{}
	for _, l := range traitLayouts() {
		if names[l.Name] || strings.Contains(l.Name, "-") {
			t.Errorf("layout name %q repeated or with a '-'", l.Name)
		}
		names[l.Name] = true
		for _, n := range l.Traits {
			layouts[n] = append(layouts[n], l.Name)
		}
		for _, v := range l.Variants {
			for seed := range uint64(4) {
				name := l.Name + "-" + v.name()
				s := l.Make(traitSeed(seed, name), v)
				if err := checkTruth(s); err != nil {
					t.Errorf("%s seed %d: %v", name, seed, err)
				}
				html := l.Render(s, v)
				for _, a := range s.Accounts {
					if len(a.Txs) == 0 {
						t.Errorf("%s seed %d: no transactions", name, seed)
					}
					if last := a.Number[len(a.Number)-3:]; !strings.Contains(html, last) {
						t.Errorf("%s seed %d: account number %s not printed", name, seed, a.Number)
					}
				}
			}
		}
	}
	for n := 1; n <= 13; n++ {
		if len(layouts[n]) < 2 {
			t.Errorf("trait %d has %d layouts (%v), want at least 2", n, len(layouts[n]), layouts[n])
		}
	}
}

func TestCheckTruth(t *testing.T) {
	d := passbook.NewDate(2026, 3, 5)
	good := stmt{Accounts: []acct{{Number: "1", Open: 10000, Close: 7500, Txs: []tx{
		{Date: d, Desc: "A", Debit: 5000, Bal: 5000, ShowBal: true},
		{Date: d, Desc: "B", Credit: 2500, Bal: 7500, ShowBal: true},
	}}}}
	if err := checkTruth(good); err != nil {
		t.Fatalf("consistent truth refused: %v", err)
	}
	badClose := good
	badClose.Accounts = []acct{good.Accounts[0]}
	badClose.Accounts[0].Close = 7600
	if checkTruth(badClose) == nil {
		t.Error("a closing that the rows do not give was accepted")
	}
	badBal := stmt{Accounts: []acct{{Number: "1", Open: 10000, Close: 7500, Txs: []tx{
		{Date: d, Desc: "A", Debit: 5000, Bal: 5100, ShowBal: true},
		{Date: d, Desc: "B", Credit: 2500, Bal: 7500, ShowBal: true},
	}}}}
	if checkTruth(badBal) == nil {
		t.Error("a running balance that does not follow was accepted")
	}
	card := stmt{Accounts: []acct{{Number: "1", Card: true, Open: 10000, Close: 12500, Txs: []tx{
		{Date: d, Desc: "A", Debit: 5000},
		{Date: d, Desc: "PAY", Credit: 2500},
	}}}}
	if err := checkTruth(card); err != nil {
		t.Errorf("card truth refused: %v", err)
	}
}

func TestAmountFormats(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{indian(12345678), "1,23,456.78"},
		{indian(123456789012), "1,23,45,67,890.12"},
		{indian(99999), "999.99"},
		{indian(100000), "1,000.00"},
		{wholeOrCents(10000), "100"},
		{wholeOrCents(125000), "1,250"},
		{wholeOrCents(15), ".15"},
		{wholeOrCents(1234), "12.34"},
		{wonStr(125000000), "1,250,000"},
		{dollars(variant{Lang: "en"}, -25000), "-$250.00"},
		{dollars(variant{Lang: "fr"}, 123456), "1\u00a0234,56\u00a0$"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// stable keeps every byte offset and makes two printings of one page identical.
func TestStable(t *testing.T) {
	a := []byte("<</CreationDate (D:20261202151705+00'00')>> /ID (node00000019) /ID (node00000020) /K (node00000019)")
	b := []byte("<</CreationDate (D:20261202163012+00'00')>> /ID (node00000044) /ID (node00000045) /K (node00000044)")
	end := passbook.NewDate(2026, 3, 31)
	sa, sb := stable(a, end), stable(b, end)
	if !bytes.Equal(sa, sb) || len(sa) != len(a) {
		t.Fatalf("not stable:\n%s\n%s", sa, sb)
	}
	if !bytes.Contains(sa, []byte("D:20260401063000")) || !bytes.Contains(sa, []byte("/K (node00000001)")) {
		t.Errorf("unexpected rewrite: %s", sa)
	}
}

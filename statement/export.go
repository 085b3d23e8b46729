package statement

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

func money(m *passbook.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

// WriteCSV writes every transaction of s as one CSV row, for spreadsheets and accounting tools:
// Account, Type, Currency, Date (yyyy-mm-dd), Description, Debit, Credit, Balance.
func WriteCSV(w io.Writer, s passbook.Statements) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"Account", "Type", "Currency", "Date", "Description", "Debit", "Credit", "Balance"}); err != nil {
		return err
	}
	for _, a := range s.Accounts {
		for _, t := range a.Transactions {
			rec := []string{a.AccountNumber, a.Type, a.Currency, t.Date.ISO(), csvSafe(t.Description), money(t.Debit), money(t.Credit), money(t.Balance)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from running a description as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func xmlEsc(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

func ofxDate(d passbook.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// WriteOFX writes s as an OFX 2.2 document: a bank statement per deposit account and a credit
// card statement per card, with the opening/closing balances and every transaction (FITID is the
// transaction's deterministic id). now stamps the server date.
func WriteOFX(w io.Writer, s passbook.Statements, now time.Time) error {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n")
	b.WriteString(`<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>` + "\n")
	b.WriteString("<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>")
	fmt.Fprintf(&b, "<DTSERVER>%s</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n", now.UTC().Format("20060102150405"))
	var bank, card strings.Builder
	for i, a := range s.Accounts {
		isCard := a.Type == passbook.CreditCard
		out := &bank
		if isCard {
			out = &card
		}
		tag := "STMTRS"
		if isCard {
			tag = "CCSTMTRS"
		}
		fmt.Fprintf(out, "<%sTRNRS><TRNUID>%d</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><%s>", map[bool]string{false: "STMT", true: "CCSTMT"}[isCard], i+1, tag)
		fmt.Fprintf(out, "<CURDEF>%s</CURDEF>", xmlEsc(orDefault(a.Currency, "CAD")))
		if isCard {
			fmt.Fprintf(out, "<CCACCTFROM><ACCTID>%s</ACCTID></CCACCTFROM>", xmlEsc(a.AccountNumber))
		} else {
			typ := "CHECKING"
			switch a.Type {
			case passbook.Savings:
				typ = "SAVINGS"
			case passbook.LineOfCredit:
				typ = "CREDITLINE"
			}
			fmt.Fprintf(out, "<BANKACCTFROM><BANKID>%s</BANKID><ACCTID>%s</ACCTID><ACCTTYPE>%s</ACCTTYPE></BANKACCTFROM>", xmlEsc(orDefault(a.InstitutionNumber, "0")), xmlEsc(a.AccountNumber), typ)
		}
		var start, end passbook.Date
		if a.Statement != nil {
			start, end = a.Statement.PeriodStart, a.Statement.PeriodEnd
		}
		fmt.Fprintf(out, "<BANKTRANLIST><DTSTART>%s</DTSTART><DTEND>%s</DTEND>", ofxDate(start), ofxDate(end))
		for _, t := range a.Transactions {
			// OFX amounts are signed from the account holder's side: money in is positive; on
			// a card a purchase is negative.
			var amt passbook.Money
			kind := "DEBIT"
			if t.Credit != nil {
				amt, kind = *t.Credit, "CREDIT"
			} else if t.Debit != nil {
				amt = -*t.Debit
			}
			fmt.Fprintf(out, "<STMTTRN><TRNTYPE>%s</TRNTYPE><DTPOSTED>%s</DTPOSTED><TRNAMT>%s</TRNAMT><FITID>%s</FITID><NAME>%s</NAME>",
				kind, ofxDate(t.Date), amt, t.Id, xmlEsc(truncate(t.Description, 32)))
			if len([]rune(t.Description)) > 32 {
				// OFX limits NAME to 32 characters; the whole description goes in MEMO.
				fmt.Fprintf(out, "<MEMO>%s</MEMO>", xmlEsc(t.Description))
			}
			out.WriteString("</STMTTRN>")
		}
		out.WriteString("</BANKTRANLIST>")
		if a.Statement != nil && a.Statement.ClosingBalance != nil {
			bal := *a.Statement.ClosingBalance
			if isCard {
				bal = -bal
			}
			fmt.Fprintf(out, "<LEDGERBAL><BALAMT>%s</BALAMT><DTASOF>%s</DTASOF></LEDGERBAL>", bal, ofxDate(end))
		}
		fmt.Fprintf(out, "</%s></%sTRNRS>\n", tag, map[bool]string{false: "STMT", true: "CCSTMT"}[isCard])
	}
	if bank.Len() > 0 {
		b.WriteString("<BANKMSGSRSV1>\n" + bank.String() + "</BANKMSGSRSV1>\n")
	}
	if card.Len() > 0 {
		b.WriteString("<CREDITCARDMSGSRSV1>\n" + card.String() + "</CREDITCARDMSGSRSV1>\n")
	}
	b.WriteString("</OFX>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

package authenticity

import (
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/statement"
)

// TestArithmeticRules checks how the statement engine's reconciliation becomes signals, on
// results written out by hand (the end-to-end path is in TestFixtures).
func TestArithmeticRules(t *testing.T) {
	at := statement.Location{Page: 1, Box: passbook.Box{X0: 500, Y0: 300, X1: 560, Y1: 310}}
	tx := func(day int, amount passbook.Money) statement.Transaction {
		t := statement.Transaction{Date: passbook.NewDate(2026, 3, day), Description: "ROW", Page: 1}
		if amount < 0 {
			t.Debit = passbook.M(-amount)
		} else {
			t.Credit = passbook.M(amount)
		}
		return t
	}
	rows := []statement.Transaction{tx(2, 1000), tx(3, -500), tx(4, -250), tx(5, 700), tx(6, -100)}
	brk := func(i int, exp, printed passbook.Money) statement.Break {
		return statement.Break{Index: i, Expected: exp, Printed: printed, At: at}
	}
	base := func(mod func(a *statement.Account)) *statement.Result {
		a := statement.Account{Number: "123-4", Opening: passbook.M(10000), Closing: passbook.M(10850), Transactions: rows,
			Reconciliation: statement.Reconciliation{Expected: passbook.M(10850), ClosingOK: true, Reconciled: true}}
		if mod != nil {
			mod(&a)
		}
		return &statement.Result{PeriodStart: passbook.NewDate(2026, 3, 1), PeriodEnd: passbook.NewDate(2026, 3, 31), Accounts: []statement.Account{a}}
	}
	cases := []struct {
		name string
		res  *statement.Result
		want map[string]passbook.Severity // code → severity; absent codes must not appear
	}{
		{"reconciled", base(nil), map[string]passbook.Severity{}},
		{"one break", base(func(a *statement.Account) {
			a.Reconciliation.Breaks = []statement.Break{brk(2, 10250, 10350)}
		}), map[string]passbook.Severity{BalanceBreak: passbook.High}},
		{"many breaks weigh less", base(func(a *statement.Account) {
			a.Reconciliation.Breaks = []statement.Break{brk(1, 1, 2), brk(2, 1, 3), brk(3, 1, 4)}
		}), map[string]passbook.Severity{BalanceBreak: passbook.Medium}},
		{"sign flip is the reading's doubt, not a signal", base(func(a *statement.Account) {
			// Row 2 was read as −2.50; the printed balance is 5.00 higher, as a +2.50 gives.
			a.Reconciliation.Breaks = []statement.Break{brk(2, 10250, 10750)}
		}), map[string]passbook.Severity{}},
		{"closing mismatch", base(func(a *statement.Account) {
			a.Closing = passbook.M(11850)
			a.ClosingAt = &at
			a.Reconciliation.ClosingOK = false
		}), map[string]passbook.Severity{ClosingMismatch: passbook.High}},
		{"closing without rows read", base(func(a *statement.Account) {
			a.Transactions = nil
			a.Closing = passbook.M(11850)
			a.Reconciliation.ClosingOK = false
		}), map[string]passbook.Severity{}},
		{"closing break without rows read", base(func(a *statement.Account) {
			a.Transactions = nil
			a.Reconciliation.Breaks = []statement.Break{brk(-1, 10000, 11850)}
		}), map[string]passbook.Severity{}},
		{"total mismatch", base(func(a *statement.Account) {
			a.Totals = []statement.Total{{Kind: statement.TotalCredits, Label: "Total deposits", Printed: 2700, Computed: 1700, At: at}}
		}), map[string]passbook.Severity{TotalMismatch: passbook.High}},
		{"totals read as the other kind", base(func(a *statement.Account) {
			a.Totals = []statement.Total{
				{Kind: statement.TotalCredits, Label: "Total deposits", Printed: 1700, Computed: 850, At: at},
				{Kind: statement.TotalDebits, Label: "Total withdrawals", Printed: 850, Computed: 1700, At: at},
			}
		}), map[string]passbook.Severity{}},
		{"total with no rows of its kind", base(func(a *statement.Account) {
			a.Totals = []statement.Total{{Kind: statement.TotalDebits, Label: "Total withdrawals", Printed: 850, Computed: 0, At: at}}
		}), map[string]passbook.Severity{}},
		{"a zero total beside rows", base(func(a *statement.Account) {
			a.Totals = []statement.Total{{Kind: statement.TotalDebits, Label: "Total overdraft fees", Printed: 0, Computed: 850, At: at}}
		}), map[string]passbook.Severity{}},
		{"date outside the period", base(func(a *statement.Account) {
			a.Transactions = append([]statement.Transaction{}, rows...)
			a.Transactions[4].Date = passbook.NewDate(2026, 5, 2)
		}), map[string]passbook.Severity{OutsidePeriod: passbook.Medium}},
		{"card purchase a few days before the cycle", base(func(a *statement.Account) {
			a.Transactions = append([]statement.Transaction{}, rows...)
			a.Transactions[0].Date = passbook.NewDate(2026, 2, 26)
		}), map[string]passbook.Severity{}},
	}
	today := passbook.NewDate(2026, 11, 23)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := map[string]passbook.Severity{}
			for _, s := range arithmeticSignals(c.res, today) {
				if points(s.Severity) > points(got[s.Code]) {
					got[s.Code] = s.Severity
				}
				if s.Code != OutsidePeriod && s.Code != FutureDate && s.Box == nil {
					t.Errorf("%s has no box", s.Code)
				}
			}
			for code, sev := range c.want {
				if got[code] != sev {
					t.Errorf("%s: severity %q, want %q (all: %v)", code, got[code], sev, got)
				}
			}
			for code := range got {
				if _, ok := c.want[code]; !ok {
					t.Errorf("unexpected %s", code)
				}
			}
		})
	}
	future := base(nil)
	future.PeriodEnd = passbook.NewDate(2026, 12, 31)
	if !hasSignal(arithmeticSignals(future, today), FutureDate) {
		t.Error("a period ending after today is not reported")
	}
}

func hasSignal(ss []passbook.Signal, code string) bool {
	for _, s := range ss {
		if s.Code == code {
			return true
		}
	}
	return false
}

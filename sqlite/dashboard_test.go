package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/sqlite"
)

func TestLoginSummariesFollowTheirLogins(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c := &passbook.Customer{Name: "A"}
	if _, err := db.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	up := &passbook.Login{Institution: "Desjardins", Type: passbook.LoginUpload}
	if err := db.SaveLogin(ctx, c.Id, up, passbook.LoginProcessing); err != nil {
		t.Fatal(err)
	}
	linked := &passbook.Login{Username: "u", Institution: "FlinksCapital"}
	if err := db.SaveLogin(ctx, c.Id, linked, passbook.LoginReady); err != nil {
		t.Fatal(err)
	}
	acct := func(holder, number string, cents int64, from, to passbook.Date) passbook.Account {
		return passbook.Account{Title: "Chequing", AccountNumber: number, Currency: "CAD", Holder: &passbook.Holder{Name: holder},
			Balance:      passbook.Balance{Current: passbook.M(passbook.Money(cents))},
			Transactions: []passbook.Transaction{{Date: to, Description: "b"}, {Date: from, Description: "a"}}}
	}
	if err := db.SaveAccounts(ctx, up.Id, []passbook.Account{
		acct("Jeanne Tremblay", "815-30010-1234567", 150000, passbook.NewDate(2026, 1, 1), passbook.NewDate(2026, 1, 31)),
		acct("", "815-30010-7654321", -2550, passbook.NewDate(2025, 12, 15), passbook.NewDate(2026, 2, 2)),
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveLoginDocuments(ctx, up.Id, []passbook.Document{
		{FileName: "a.pdf", Authenticity: &passbook.Authenticity{Verdict: passbook.Review, Score: 40}},
		{FileName: "b.pdf", Authenticity: &passbook.Authenticity{Verdict: passbook.Pass, Score: 5}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetLoginTag(ctx, up.Id, "Loan-42"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveAccounts(ctx, linked.Id, []passbook.Account{acct("Bob Martin", "9999", 100, passbook.NewDate(2026, 3, 1), passbook.NewDate(2026, 3, 2))}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	list := func(f passbook.LoginFilter) []string {
		t.Helper()
		rows, _, err := db.LoginSummaries(ctx, c.Id, f, now)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.LoginID)
		}
		return ids
	}
	rows, more, err := db.LoginSummaries(ctx, c.Id, passbook.LoginFilter{Query: "tremblay"}, now)
	if err != nil || more || len(rows) != 1 {
		t.Fatalf("%v %v %v", rows, more, err)
	}
	s := rows[0]
	if s.Holder != "Jeanne Tremblay" || s.Accounts != 2 || *s.Balance != 150000-2550 || s.PeriodStart != "2025/12/15" || s.PeriodEnd != "2026/02/02" ||
		s.Verdict != passbook.Review || s.Score != 40 || s.Documents != 2 || s.Tag != "Loan-42" || s.Status != passbook.LoginProcessing || s.Type != passbook.LoginUpload {
		t.Fatalf("summary: %+v", s)
	}
	for name, c := range map[string]struct {
		f    passbook.LoginFilter
		want []string
	}{
		"last digits":   {passbook.LoginFilter{Query: "4321"}, []string{up.Id}},
		"tag":           {passbook.LoginFilter{Query: "loan-42"}, []string{up.Id}},
		"loginId":       {passbook.LoginFilter{Query: linked.Id[:13]}, []string{linked.Id}},
		"like wildcard": {passbook.LoginFilter{Query: "%"}, nil},
		"verdict":       {passbook.LoginFilter{Verdict: passbook.Review}, []string{up.Id}},
		"no fail":       {passbook.LoginFilter{Verdict: passbook.Fail}, nil},
		"type":          {passbook.LoginFilter{Type: passbook.LoginPersonal}, []string{linked.Id}},
		"status":        {passbook.LoginFilter{Status: passbook.LoginReady}, []string{linked.Id}},
		"future":        {passbook.LoginFilter{From: now.Add(time.Hour)}, nil},
		"past":          {passbook.LoginFilter{From: now.Add(-time.Hour), To: now.Add(time.Hour), Sort: "balance"}, []string{up.Id, linked.Id}},
		"by holder":     {passbook.LoginFilter{Sort: "holder"}, []string{linked.Id, up.Id}},
		"by score":      {passbook.LoginFilter{Sort: "score"}, []string{up.Id, linked.Id}},
	} {
		if got := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", name, got, c.want)
		}
	}
	// Status changes reach the list; a second page follows the first.
	if err := db.SetLoginStatus(ctx, up.Id, passbook.LoginReady); err != nil {
		t.Fatal(err)
	}
	if got := list(passbook.LoginFilter{Status: passbook.LoginReady, Limit: 1, Offset: 1}); len(got) != 1 {
		t.Fatalf("page 2: %v", got)
	}
	// Replacing the accounts replaces the summary.
	if err := db.SaveAccounts(ctx, up.Id, nil); err != nil {
		t.Fatal(err)
	}
	if got := list(passbook.LoginFilter{Query: "tremblay"}); got != nil {
		t.Fatalf("after the accounts were removed: %v", got)
	}
	if _, _, err := db.LoginSummaries(ctx, c.Id, passbook.LoginFilter{Sort: "id; DROP TABLE logins"}, now); err == nil {
		t.Fatalf("unknown sort: %v", err)
	}
}

func TestStaffSessions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c := &passbook.Customer{Name: "A"}
	if _, err := db.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	u := &passbook.StaffUser{CustomerID: c.Id, Email: "A@x.example", Name: "A", Role: passbook.RoleAnalyst, PasswordHash: "h"}
	if err := db.CreateStaffUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateStaffUser(ctx, &passbook.StaffUser{CustomerID: c.Id, Email: "a@x.example", Name: "B", Role: passbook.RoleAdmin, PasswordHash: "h"}); !errors.Is(err, passbook.ErrConflict) {
		t.Fatalf("duplicate e-mail: %v", err)
	}
	now := time.Now()
	token, err := db.CreateStaffSession(ctx, u.Id, now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.StaffSession(ctx, token, now); err != nil || got.Id != u.Id {
		t.Fatalf("session: %v %v", got, err)
	}
	if _, err := db.StaffSession(ctx, token, now.Add(2*time.Hour)); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("expired: %v", err)
	}
	if err := db.SetStaffUserDisabled(ctx, c.Id, u.Id, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StaffSession(ctx, token, now); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("disabled user's session: %v", err)
	}
}

// seedLogins stores n logins of one customer (a third linked, the rest uploads with one or two
// documents), with holders, accounts, tags and verdicts, in a few large transactions.
func seedLogins(b testing.TB, db *sqlite.DB, customerID string, n int) {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	first := []string{"Jeanne", "Marc", "Olivia", "Noah", "Amélie", "Liam", "Chloé", "William", "Emma", "Félix"}
	last := []string{"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Smith"}
	verdicts := []passbook.Verdict{passbook.Pass, passbook.Pass, passbook.Pass, passbook.Review, passbook.Fail}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			for i := 0; i < 5000 && done < n; i, done = i+1, done+1 {
				id := passbook.NewID()
				typ := passbook.LoginUpload
				if done%3 == 0 {
					typ = passbook.LoginPersonal
				}
				created := start.Add(time.Duration(done) * time.Minute).Format("2006-01-02T15:04:05.000Z")
				if _, err := tx.ExecContext(ctx, `INSERT INTO logins (id, customer_id, institution, username, type, status, created_at) VALUES (?, ?, 'FlinksCapital', ?, ?, 'ready', ?)`,
					id, customerID, id, typ, created); err != nil {
					return err
				}
				acct := passbook.Account{Id: passbook.NewID(), Title: "Chequing", AccountNumber: fmt.Sprintf("815-%07d", r.IntN(10000000)), Currency: "CAD",
					Holder:  &passbook.Holder{Name: first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]},
					Balance: passbook.Balance{Current: passbook.M(passbook.Money(r.Int64N(5000000)))},
					Transactions: []passbook.Transaction{{Date: passbook.NewDate(2025, 3, 31), Description: "b", Debit: passbook.M(100)},
						{Date: passbook.NewDate(2025, 3, 1), Description: "a", Credit: passbook.M(100)}}}
				data, _ := json.Marshal(acct)
				if _, err := tx.ExecContext(ctx, `INSERT INTO login_accounts (login_id, position, account_id, data) VALUES (?, 0, ?, ?)`, id, acct.Id, data); err != nil {
					return err
				}
				if typ == passbook.LoginUpload {
					for p := 0; p < 1+done%2; p++ {
						d := passbook.Document{FileName: "s.pdf", Authenticity: &passbook.Authenticity{Verdict: verdicts[r.IntN(len(verdicts))], Score: r.IntN(100)}}
						data, _ := json.Marshal(d)
						if _, err := tx.ExecContext(ctx, `INSERT INTO login_documents (login_id, position, data) VALUES (?, ?, ?)`, id, p, data); err != nil {
							return err
						}
					}
				}
				if _, err := tx.ExecContext(ctx, `UPDATE login_summaries SET tag = ?1, search = lower(login_id || ' ' || holder || ' ' || ?1 || ' ' || numbers) WHERE login_id = ?2`,
					fmt.Sprintf("app-%d", done), id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoginSummaries measures pages of the Dashboard's list over 100,000 logins of one
// customer (and 2,000 of another), each a filter or search an analyst would use, and reports
// the 95th percentile of the page times.
//
//	go test ./sqlite -run '^$' -bench LoginSummaries -benchtime 200x
//
// Seeding takes minutes; PASSBOOK_BENCH_DB names a database file to keep and reuse between runs.
func BenchmarkLoginSummaries(b *testing.B) {
	ctx := context.Background()
	file := os.Getenv("PASSBOOK_BENCH_DB")
	if file == "" {
		file = filepath.Join(b.TempDir(), "bench.db")
	}
	_, statErr := os.Stat(file)
	db, err := sqlite.Open(ctx, file)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	c := &passbook.Customer{Name: "Big"}
	if statErr == nil {
		if err := db.Read.QueryRowContext(ctx, `SELECT id FROM customers WHERE name = 'Big'`).Scan(&c.Id); err != nil {
			b.Fatal(err)
		}
	} else {
		other := &passbook.Customer{Name: "Other"}
		for _, x := range []*passbook.Customer{c, other} {
			if _, err := db.CreateCustomer(ctx, x); err != nil {
				b.Fatal(err)
			}
		}
		seedLogins(b, db, c.Id, 100_000)
		seedLogins(b, db, other.Id, 2_000)
	}
	now := time.Now()
	for _, bc := range []struct {
		name string
		f    passbook.LoginFilter
	}{
		{"newest", passbook.LoginFilter{}},
		{"verdict=fail", passbook.LoginFilter{Verdict: passbook.Fail}},
		{"type=upload,page5", passbook.LoginFilter{Type: passbook.LoginUpload, Offset: 200}},
		{"status+dates", passbook.LoginFilter{Status: passbook.LoginReady, From: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)}},
		{"search=name", passbook.LoginFilter{Query: "amélie côté"}},
		{"search=digits", passbook.LoginFilter{Query: "4567"}},
		{"search=tag", passbook.LoginFilter{Query: "app-99999"}},
		{"verdict=review,by score", passbook.LoginFilter{Verdict: passbook.Review, Sort: "score"}},
		{"by balance", passbook.LoginFilter{Sort: "balance"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				rows, _, err := db.LoginSummaries(ctx, c.Id, bc.f, now)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
				if len(rows) == 0 {
					b.Fatal("empty page")
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

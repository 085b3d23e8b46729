package sandbox_test

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/institution/sandbox"
)

var day = passbook.NewDate(2026, time.March, 14)

func registry(now time.Time) *institution.Registry {
	return institution.NewRegistry(sandbox.New(sandbox.Options{Now: func() time.Time { return now }, PendingDelay: time.Minute})...)
}

// checkLedger verifies that an account's running balances follow from its amounts and end on
// its current balance.
func checkLedger(t *testing.T, a passbook.Account) {
	t.Helper()
	if len(a.Transactions) == 0 {
		t.Fatalf("%s: no transactions", a.Title)
	}
	credit := a.Type == passbook.CreditCard
	// Transactions are newest first; walk them oldest first.
	var prev *passbook.Money
	for i := len(a.Transactions) - 1; i >= 0; i-- {
		tx := a.Transactions[i]
		if (tx.Debit == nil) == (tx.Credit == nil) {
			t.Fatalf("%s %s: exactly one of Debit and Credit must be set", a.Title, tx.Date)
		}
		if tx.Balance == nil {
			t.Fatalf("%s %s: no running balance", a.Title, tx.Date)
		}
		if i < len(a.Transactions)-1 && tx.Date.Before(a.Transactions[i+1].Date) {
			t.Fatalf("%s: transactions not newest first at %d", a.Title, i)
		}
		if prev != nil {
			delta := passbook.Money(0)
			if tx.Credit != nil {
				delta = *tx.Credit
			} else {
				delta = -*tx.Debit
			}
			if credit {
				delta = -delta
			}
			if *prev+delta != *tx.Balance {
				t.Fatalf("%s %s %q: balance %s does not follow from %s", a.Title, tx.Date, tx.Description, tx.Balance, prev)
			}
		}
		prev = tx.Balance
	}
	if a.Balance.Current == nil || *a.Balance.Current != *a.Transactions[0].Balance {
		t.Fatalf("%s: current balance %v is not the last running balance %s", a.Title, a.Balance.Current, a.Transactions[0].Balance)
	}
}

func TestAccountsAreDeterministicAndAddUp(t *testing.T) {
	a := sandbox.Accounts("FlinksCapital/Greatday", day)
	b := sandbox.Accounts("FlinksCapital/Greatday", day)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed and day gave different accounts")
	}
	if c := sandbox.Accounts("FlinksCapital/greatday_nomfa", day); reflect.DeepEqual(a, c) {
		t.Fatal("different users got the same accounts")
	}
	types := map[string]int{}
	var suffixes []string
	for _, acct := range a {
		types[acct.Type]++
		checkLedger(t, acct)
		if acct.Holder == nil || acct.Holder.Name == "" || acct.Currency != "CAD" || acct.Category != passbook.CategoryOf(acct.Type) {
			t.Fatalf("%s: incomplete account %+v", acct.Title, acct)
		}
		oldest := acct.Transactions[len(acct.Transactions)-1].Date
		if acct.Transactions[0].Date.After(day) || oldest.Before(day.AddDays(-364)) {
			t.Fatalf("%s: transactions outside the year ending %s: %s..%s", acct.Title, day, oldest, acct.Transactions[0].Date)
		}
		if i := strings.LastIndex(acct.AccountNumber, "-"); i > 0 {
			suffixes = append(suffixes, acct.AccountNumber[i:])
		}
	}
	if types[passbook.Chequing] < 1 || types[passbook.Savings] < 1 || types[passbook.CreditCard] != 1 {
		t.Fatalf("account types: %v", types)
	}
	if !reflect.DeepEqual(suffixes, []string{"-0", "-1", "-2"}) {
		t.Fatalf("membership suffixes: %v", suffixes)
	}
	// A year of a chequing account is a few hundred transactions, not a handful.
	if n := len(a[0].Transactions); n < 150 {
		t.Fatalf("chequing has only %d transactions", n)
	}
	// The card's payments appear in chequing on the same days with the same amounts.
	payments := map[passbook.Date]passbook.Money{}
	for _, tx := range a[2].Transactions {
		if tx.Credit != nil {
			payments[tx.Date] = *tx.Credit
		}
	}
	found := 0
	for _, tx := range a[0].Transactions {
		if strings.HasPrefix(tx.Description, "PAYMENT - VISA") {
			if payments[tx.Date] != *tx.Debit {
				t.Fatalf("card payment of %s: %s in chequing, %s on the card", tx.Date, tx.Debit, payments[tx.Date].String())
			}
			found++
		}
	}
	if found < 10 || found != len(payments) {
		t.Fatalf("%d card payments in chequing, %d on the card", found, len(payments))
	}
	for _, acct := range sandbox.MembershipAccounts("x", day) {
		checkLedger(t, acct)
	}
}

// login drives a sandbox user to its outcome, answering questions correctly.
func login(t *testing.T, reg *institution.Registry, inst, user, password string) (*institution.Step, error) {
	t.Helper()
	ctx := context.Background()
	conn, ok := reg.Lookup(inst)
	if !ok {
		t.Fatalf("no institution %s", inst)
	}
	creds := institution.Credentials{Username: user, Password: password}
	step, err := conn.Login(ctx, creds)
	for i := 0; err == nil && len(step.Challenges) > 0; i++ {
		if i > 5 {
			t.Fatal("too many question steps")
		}
		ans := map[string][]string{}
		for _, q := range step.Challenges {
			ans[q.Prompt] = []string{map[string]string{
				sandbox.QuestionCity.Prompt: "montreal", sandbox.QuestionCountry.Prompt: " Canada ", sandbox.QuestionShape.Prompt: "Triangle",
			}[q.Prompt]}
		}
		step, err = conn.Answer(ctx, creds, step.State, ans)
	}
	return step, err
}

func TestEveryLoginErrorHasATestUser(t *testing.T) {
	now := day.Time().Add(10 * time.Hour)
	reg := registry(now)
	for _, info := range passbook.LoginErrors() {
		u, ok := sandbox.TestUserFor(info.Code)
		if !ok {
			t.Errorf("no sandbox user for %s", info.Code)
			continue
		}
		pw := u.Password
		if pw == "" {
			pw = "anything"
		}
		_, err := login(t, reg, sandbox.FlinksCapital, u.Username, pw)
		if got := passbook.ErrorCode(err); got != info.Code {
			t.Errorf("%s: got %v, want %s", u.Username, err, info.Code)
		}
	}
}

func TestSuccessfulUsers(t *testing.T) {
	now := day.Time().Add(10 * time.Hour)
	reg := registry(now)
	for _, tc := range []struct {
		inst, user string
		pending    passbook.Code
		accounts   int
	}{
		{sandbox.FlinksCapital, "Greatday", "", 6},
		{sandbox.FlinksCapital, "GREATDAY_NOMFA", "", 6},
		{sandbox.FlinksCapital, "test_pending", passbook.OperationPending, 6},
		{sandbox.FlinksCapital, "test_dispatched", passbook.OperationDispatched, 6},
		{sandbox.CreditUnion, "Greatday", "", 3},
	} {
		step, err := login(t, reg, tc.inst, tc.user, sandbox.Password)
		if err != nil {
			t.Fatalf("%s/%s: %v", tc.inst, tc.user, err)
		}
		if len(step.Accounts) != tc.accounts || step.PendingCode != tc.pending || step.ReadyAt.IsZero() != (tc.pending == "") {
			t.Fatalf("%s/%s: %d accounts, pending %q until %v", tc.inst, tc.user, len(step.Accounts), step.PendingCode, step.ReadyAt)
		}
		if step.Accounts[0].Transactions[0].Date.After(passbook.DateOf(now)) {
			t.Fatalf("transactions after today")
		}
	}
}

func TestWrongInputs(t *testing.T) {
	reg := registry(day.Time())
	ctx := context.Background()
	conn, _ := reg.Lookup("flinkscapital")
	cases := []struct {
		user, pw string
		want     passbook.Code
	}{
		{"Greatday", "wrong", passbook.InvalidPassword},
		{"nobody", "Everyday", passbook.InvalidLogin},
		{"", "Everyday", passbook.InvalidLogin},
		{"Greatday", "", passbook.InvalidLogin},
	}
	for _, c := range cases {
		if _, err := conn.Login(ctx, institution.Credentials{Username: c.user, Password: c.pw}); passbook.ErrorCode(err) != c.want {
			t.Errorf("%q/%q: %v, want %s", c.user, c.pw, err, c.want)
		}
	}
	creds := institution.Credentials{Username: "Greatday", Password: sandbox.Password}
	step, err := conn.Login(ctx, creds)
	if err != nil || len(step.Challenges) != 1 || step.Challenges[0].Prompt != sandbox.QuestionCity.Prompt {
		t.Fatalf("Greatday's first step: %+v %v", step, err)
	}
	for _, ans := range []map[string][]string{nil, {sandbox.QuestionCity.Prompt: {"Toronto"}}, {"Other question?": {"Montreal"}}} {
		if _, err := conn.Answer(ctx, creds, step.State, ans); passbook.ErrorCode(err) != passbook.InvalidSecurityResponse {
			t.Errorf("answers %v: %v", ans, err)
		}
	}
	// The second step asks two questions, one of them a multiple choice.
	step2, err := conn.Answer(ctx, creds, step.State, map[string][]string{sandbox.QuestionCity.Prompt: {"Montreal"}})
	if err != nil || len(step2.Challenges) != 2 || step2.Challenges[1].Type != "MultipleChoice" || len(step2.Challenges[1].Iterables) < 2 {
		t.Fatalf("second step: %+v %v", step2, err)
	}
	// Only one of the two answered is not enough.
	if _, err := conn.Answer(ctx, creds, step2.State, map[string][]string{sandbox.QuestionShape.Prompt: {"Triangle"}}); passbook.ErrorCode(err) != passbook.InvalidSecurityResponse {
		t.Errorf("half answered: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("{"), []byte(`{"u":"Greatday","s":9}`), []byte(`{"u":"nobody","s":1}`)} {
		if _, err := conn.Answer(ctx, creds, bad, nil); passbook.ErrorCode(err) != passbook.SessionExpired {
			t.Errorf("state %q: %v", bad, err)
		}
	}
	closed, _ := reg.Lookup(sandbox.ClosedBank)
	if !closed.Institution().Disabled {
		t.Fatal("the closed bank is not disabled")
	}
	if _, err := closed.Login(ctx, creds); passbook.ErrorCode(err) != passbook.DisabledInstitution {
		t.Fatalf("closed bank: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := conn.Login(cctx, creds); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled login: %v", err)
	}
}

func BenchmarkAccounts(b *testing.B) {
	for b.Loop() {
		sandbox.Accounts("FlinksCapital/Greatday", day)
	}
}

// The README shows the sandbox's users as MarkdownTable renders them; this keeps them in step.
func TestREADMEListsTheTestUsers(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table := sandbox.MarkdownTable()
	if !strings.Contains(string(readme), table) {
		t.Fatalf("README.md does not contain the sandbox table; paste this:\n%s", table)
	}
	for _, u := range sandbox.TestUsers() {
		if !strings.Contains(table, "`"+u.Username+"`") {
			t.Fatalf("%s missing from the table", u.Username)
		}
	}
}

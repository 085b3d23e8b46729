package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
)

func TestLoginsAreTheirCustomers(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a := &passbook.Customer{Name: "A"}
	b := &passbook.Customer{Name: "B"}
	for _, c := range []*passbook.Customer{a, b} {
		if _, err := db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	l := &passbook.Login{Username: "u", Institution: "FlinksCapital"}
	if err := db.SaveLogin(ctx, a.Id, l, passbook.LoginReady); err != nil || l.Id == "" || l.Type != passbook.LoginPersonal {
		t.Fatal(l, err)
	}
	// B cannot read, overwrite or delete A's login.
	if _, err := db.LoginRecord(ctx, b.Id, l.Id); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("B read A's login: %v", err)
	}
	stolen := *l
	stolen.Username = "hijacked"
	if err := db.SaveLogin(ctx, b.Id, &stolen, passbook.LoginReady); err != nil {
		t.Fatal(err)
	}
	if rec, err := db.LoginRecord(ctx, a.Id, l.Id); err != nil || rec.Username != "u" || rec.CustomerID != a.Id {
		t.Fatalf("A's login after B's save: %+v %v", rec, err)
	}
	if err := db.DeleteLogin(ctx, b.Id, l.Id); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("B deleted A's login: %v", err)
	}
	// Accounts round-trip in order, and each save bumps the version.
	rec, _ := db.LoginRecord(ctx, a.Id, l.Id)
	accts := []passbook.Account{{Title: "one", Type: passbook.Chequing, Balance: passbook.Balance{Current: passbook.M(12345)},
		Transactions: []passbook.Transaction{{Id: "t", Date: passbook.NewDate(2026, 1, 2), Description: "x", Debit: passbook.M(5)}}}, {Title: "two"}}
	if err := db.SaveAccounts(ctx, l.Id, accts); err != nil {
		t.Fatal(err)
	}
	got, err := db.Accounts(ctx, l.Id)
	if err != nil || len(got) != 2 || got[0].Title != "one" || got[0].Id == "" || *got[0].Balance.Current != 12345 || *got[0].Transactions[0].Debit != 5 {
		t.Fatalf("accounts: %+v %v", got, err)
	}
	after, _ := db.LoginRecord(ctx, a.Id, l.Id)
	if after.Version <= rec.Version {
		t.Fatalf("version %d after %d", after.Version, rec.Version)
	}
	if err := db.SaveAccounts(ctx, "no-such-login", accts); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("accounts of no login: %v", err)
	}
}

func TestLoginStatusAndRequests(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c, _, _ := db.EnsureDefaultCustomer(ctx)
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	rec := &passbook.LoginRecord{Login: passbook.Login{Username: "p", Institution: "FlinksCapital"}, CustomerID: c.Id,
		Status: passbook.LoginProcessing, ReadyAt: now.Add(time.Minute), PendingCode: passbook.OperationDispatched}
	if err := db.SaveLoginRecord(ctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	back, err := db.LoginRecord(ctx, c.Id, rec.Id)
	if err != nil || back.PendingCode != passbook.OperationDispatched || !back.ReadyAt.Equal(rec.ReadyAt) {
		t.Fatalf("%+v %v", back, err)
	}
	if back.StatusAt(now) != passbook.LoginProcessing || back.StatusAt(now.Add(time.Minute)) != passbook.LoginReady {
		t.Fatal("ReadyAt does not make the login ready")
	}
	r := &passbook.LoginRequest{CustomerID: c.Id, Status: passbook.RequestMFA, ExpiresAt: now.Add(time.Minute),
		Challenges: []passbook.SecurityChallenge{{Type: "QuestionAndAnswer", Prompt: "Q?"}}}
	if err := db.SaveRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	gr, gl, err := db.RequestLogin(ctx, c.Id, r.Id, now)
	if err != nil || gl != nil || gr.Challenges[0].Prompt != "Q?" {
		t.Fatalf("request without login: %+v %v %v", gr, gl, err)
	}
	r.LoginID, r.Status, r.Challenges = rec.Id, passbook.RequestDone, nil
	if err := db.SaveRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, gl, err := db.RequestLogin(ctx, c.Id, r.Id, now); err != nil || gl == nil || gl.Id != rec.Id || gl.Username != "p" {
		t.Fatalf("request with login: %+v %v", gl, err)
	}
	for _, tc := range []struct {
		customer, id string
		at           time.Time
	}{{"other", r.Id, now}, {c.Id, r.Id, now.Add(time.Minute)}, {c.Id, "nope", now}} {
		if _, _, err := db.RequestLogin(ctx, tc.customer, tc.id, tc.at); !errors.Is(err, passbook.ErrNotFound) {
			t.Errorf("%+v: %v", tc, err)
		}
		if _, err := db.Request(ctx, tc.customer, tc.id, tc.at); !errors.Is(err, passbook.ErrNotFound) {
			t.Errorf("Request %+v: %v", tc, err)
		}
	}
	if err := db.DeleteExpiredRequests(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RequestLogin(ctx, c.Id, r.Id, now); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("expired request kept: %v", err)
	}
	// Deleting a login ends its requests.
	r2 := &passbook.LoginRequest{CustomerID: c.Id, LoginID: rec.Id, Status: passbook.RequestDone, ExpiresAt: now.Add(time.Hour)}
	if err := db.SaveRequest(ctx, r2); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteLogin(ctx, c.Id, rec.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Request(ctx, c.Id, r2.Id, now); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("request of a deleted login: %v", err)
	}
}

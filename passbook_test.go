package passbook_test

import (
	"encoding/json"
	"testing"

	"github.com/passbookhq/passbook"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want passbook.Money
		bad  bool
	}{
		{"0", 0, false}, {"45", 4500, false}, {"45.5", 4550, false}, {"-1234.56", -123456, false},
		{"+3.10", 310, false}, {"1.005", 101, false}, {".5", 50, false}, {"", 0, true}, {"1,234.56", 0, true},
		{"12.3x", 0, true}, {"abc", 0, true}, {"99999999999999999999", 0, true},
	} {
		got, err := passbook.ParseMoney(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v, bad=%v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestMoneyAndDateJSON(t *testing.T) {
	tx := passbook.Transaction{Id: "t1", Date: passbook.NewDate(2026, 3, 5), Debit: passbook.M(4500), Balance: passbook.M(-118956)}
	b, err := json.Marshal(tx)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Id":"t1","Date":"2026/03/05","Code":null,"Description":"","Debit":45.00,"Credit":null,"Balance":-1189.56}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back passbook.Transaction
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Date != tx.Date || *back.Debit != 4500 || *back.Balance != -118956 || back.Credit != nil {
		t.Fatalf("round trip: %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"Date":"05/03/2026"}`), &back); err == nil {
		t.Fatal("a day-first date was accepted")
	}
}

func TestDateArithmetic(t *testing.T) {
	d := passbook.NewDate(2025, 12, 30)
	if got := d.AddDays(3); got != passbook.NewDate(2026, 1, 2) {
		t.Fatalf("AddDays: %v", got)
	}
	if n := d.DaysUntil(passbook.NewDate(2026, 3, 1)); n != 61 {
		t.Fatalf("DaysUntil = %d", n)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 {
		t.Fatal("ordering")
	}
}

func TestCodeTable(t *testing.T) {
	// The seed's ten handled errors, plus the two the Upload fallback needs.
	want := map[passbook.Code]int{
		"INVALID_USERNAME": 401, "INVALID_PASSWORD": 401, "INVALID_LOGIN": 401, "INVALID_SECURITY_RESPONSE": 401,
		"RETRY_LATER": 401, "UNAUTHORIZED": 401, "NEW_ACCOUNT": 401, "AGGREGATION_ERROR": 500,
		"DISABLED_INSTITUTION": 405, "DISABLED_LOGIN": 401, "SESSION_EXPIRED": 401, "INVALID_SECURITY_RESPONSE_NO_RETRY": 401,
	}
	got := passbook.LoginErrors()
	if len(got) != len(want) {
		t.Fatalf("%d login errors, want %d", len(got), len(want))
	}
	fallback := 0
	for _, info := range got {
		if want[info.Code] != info.HTTPStatus {
			t.Errorf("%s: HTTP %d, want %d", info.Code, info.HTTPStatus, want[info.Code])
		}
		if info.MessageEN == "" || info.MessageFR == "" || info.MessageEN == info.MessageFR {
			t.Errorf("%s: needs distinct EN and FR messages", info.Code)
		}
		if info.Fallback {
			fallback++
		}
	}
	// Exactly the eight trigger codes of the Upload guide.
	if fallback != 8 {
		t.Errorf("%d fallback triggers, want 8", fallback)
	}
	err := &passbook.Error{Code: passbook.DisabledInstitution}
	if passbook.StatusOf(err) != 405 || passbook.ErrorCode(err) != passbook.DisabledInstitution {
		t.Errorf("StatusOf/ErrorCode: %d %s", passbook.StatusOf(err), passbook.ErrorCode(err))
	}
}

func TestNewIDUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := passbook.NewID()
		if len(id) != 36 || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

package connect

import (
	"net/url"
	"testing"
)

// detailsAndStatementEnable and monthsOfStatements become the login's statement policy.
func TestStatementOptions(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		{"", "off"},
		{"detailsAndStatementEnable=false&monthsOfStatements=Months12", "off"},
		{"detailsAndStatementEnable=true", "Months3"},
		{"detailsAndStatementEnable=true&monthsOfStatements=mostrecent", "MostRecent"},
		{"detailsAndStatementEnable=TRUE&monthsOfStatements=Months12", "Months12"},
		{"detailsAndStatementEnable=true&monthsOfStatements=Months99", "Months3"},
	} {
		q, _ := url.ParseQuery(c.query)
		o, err := ParseOptions(q)
		if err != nil || o.statementPolicy() != c.want {
			t.Errorf("%q: %q %v, want %q", c.query, o.statementPolicy(), err, c.want)
		}
	}
}

package statement

import "testing"

// TestStatementCurrency: the currency a statement names in words or marks, English or French,
// above its table or on its first page; a foreign-exchange line does not name it; a Canadian
// statement that names none stays CAD, a US one USD.
func TestStatementCurrency(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"euro mark in headings", "Banque du Port\nIBAN FR76 3000 4866 0853 4704 7640 877\nDate Libellé Débit (€) Crédit (€) Solde (€)\n03/06/2026 PRLV SEPA 412,11 3 934,01", "EUR"},
		{"euros in words", "Relevé de compte\nMontants exprimés en euros\nDate Libellé Débit Crédit Solde\n03/06/2026 PRLV SEPA 412,11 3 934,01", "EUR"},
		{"euro after amounts", "Relevé de compte\nSolde précédent 1 250,00 €\nDate Libellé Montant Solde\n03/06/2026 CARTE 12,00 € 1 238,00 €", "EUR"},
		{"pounds sterling", "Statement of account\nAll amounts in pounds sterling\nDate Details Paid out Paid in Balance", "GBP"},
		{"pound mark", "Statement of account\nDate Details £ Out £ In £ Balance", "GBP"},
		{"code", "Statement of account\nCurrency: USD\nDate Description Amount", "USD"},
		{"US dollars in French", "Relevé de compte\nCompte en dollars américains\nDate Description Retrait Dépôt Solde", "USD"},
		{"swiss francs", "Kontoauszug / Relevé\nMontants en francs suisses\nDate Libellé Débit Crédit Solde", "CHF"},
		{"Canadian, named", "Relevé de compte\nMontants en dollars canadiens\nDate Description Retrait Dépôt Solde", "CAD"},
		{"Canadian, unnamed", "Relevé de compte\nJEAN TREMBLAY\n3187 boul. René-Lévesque\nQuébec QC G1R 4P5\nDate Description Retrait Dépôt Solde", "CAD"},
		{"FX sub-line is not the currency", "Statement\nDate Description Amount\nMar 03 CAFE DE FLORE 54.71\nEUR 45.69 @ 1.1974", "CAD"},
		{"FX rate line is not the currency", "Statement\nDate Description Amount\nMar 03 CAFE DE FLORE 54.71\nUSD 41,02 1 EUR = 1,0217 USD", "CAD"},
		{"Europe is not the euro", "Statement\nEuronet ATM network, Europe\nDate Description Amount", "CAD"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &parser{lines: textLines(tt.text)}
			var res Result
			p.facts(&res)
			if res.Currency != tt.want {
				t.Errorf("currency %s, want %s", res.Currency, tt.want)
			}
		})
	}
}

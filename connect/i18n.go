package connect

import "fmt"

// messages holds every string of the widget and the demo page, in English and French. The
// customer messages of the error codes come from the code table (passbook.CodeInfo.Message).
// Both maps are read-only after package initialisation; TestMessagesComplete checks that each
// key exists in both languages with the same format verbs.
var messages = map[string]map[string]string{
	"en": {
		"title":              "Connect your bank account",
		"secure":             "Secure connection",
		"for_customer":       "%s uses Passbook to securely connect to your bank.",
		"for_anyone":         "Passbook securely connects to your bank.",
		"choose_institution": "Select your financial institution",
		"search_label":       "Search for your institution",
		"search_button":      "Search",
		"no_results":         "No institution matches your search.",
		"unavailable":        "Unavailable",
		"sandbox":            "Test institution",
		"back":               "Back",
		"close":              "Close",
		"consent_title":      "Share your account information",
		"consent_body":       "%s will receive, from %s, your account details, balances and transactions of the last %d days. They will be used only for the purpose you agreed to.",
		"consent_accept":     "I agree",
		"consent_deny":       "Decline",
		"consent_denied":     "You declined to share your information. Nothing was shared.",
		"this_company":       "This company",
		"credentials_title":  "Log in to %s",
		"credentials_intro":  "Enter the username and password you use for online banking.",
		"username":           "Username",
		"password":           "Password",
		"submit":             "Continue",
		"connecting":         "Connecting to your bank…",
		"mfa_title":          "Security questions",
		"mfa_intro":          "Your bank asks you to answer the following questions.",
		"pending_title":      "We are retrieving your information",
		"pending_body":       "This can take a moment. This page checks again by itself.",
		"check_again":        "Check again",
		"accounts_title":     "Choose an account",
		"accounts_intro":     "Select the account you want to share.",
		"accounts_none":      "No account of this login can be shared.",
		"balance":            "Balance",
		"success_title":      "Your account is connected",
		"success_body":       "Your information was shared successfully. You may now continue.",
		"continue":           "Continue",
		"error_title":        "We could not connect your account",
		"error_code":         "Error code",
		"http_status":        "HTTP status",
		"other_institution":  "Choose another institution",
		"max_retry":          "You have reached the maximum number of attempts.",
		"upload_instead":     "Upload bank statements instead",
		"upload_offer":       "You can also share your bank statements as PDF files.",
		"demo_title":         "Test usernames (demo mode)",
		"demo_intro":         "Any password works unless one is shown.",
	},
	"fr": {
		"title":              "Connectez votre compte bancaire",
		"secure":             "Connexion sécurisée",
		"for_customer":       "%s utilise Passbook pour se connecter de façon sécurisée à votre banque.",
		"for_anyone":         "Passbook se connecte de façon sécurisée à votre banque.",
		"choose_institution": "Choisissez votre institution financière",
		"search_label":       "Recherchez votre institution",
		"search_button":      "Rechercher",
		"no_results":         "Aucune institution ne correspond à votre recherche.",
		"unavailable":        "Non disponible",
		"sandbox":            "Institution de test",
		"back":               "Retour",
		"close":              "Fermer",
		"consent_title":      "Partagez les renseignements de votre compte",
		"consent_body":       "%s recevra de %s les détails, les soldes et les transactions de vos comptes des %d derniers jours. Ils ne serviront qu’aux fins que vous avez acceptées.",
		"consent_accept":     "J’accepte",
		"consent_deny":       "Refuser",
		"consent_denied":     "Vous avez refusé de partager vos renseignements. Rien n’a été partagé.",
		"this_company":       "Cette entreprise",
		"credentials_title":  "Connectez-vous à %s",
		"credentials_intro":  "Saisissez le nom d’utilisateur et le mot de passe de vos services bancaires en ligne.",
		"username":           "Nom d’utilisateur",
		"password":           "Mot de passe",
		"submit":             "Continuer",
		"connecting":         "Connexion à votre banque…",
		"mfa_title":          "Questions de sécurité",
		"mfa_intro":          "Votre banque vous demande de répondre aux questions suivantes.",
		"pending_title":      "Nous récupérons vos renseignements",
		"pending_body":       "Cela peut prendre un moment. Cette page vérifie de nouveau d’elle-même.",
		"check_again":        "Vérifier de nouveau",
		"accounts_title":     "Choisissez un compte",
		"accounts_intro":     "Sélectionnez le compte que vous voulez partager.",
		"accounts_none":      "Aucun compte de cette connexion ne peut être partagé.",
		"balance":            "Solde",
		"success_title":      "Votre compte est connecté",
		"success_body":       "Vos renseignements ont été partagés. Vous pouvez maintenant continuer.",
		"continue":           "Continuer",
		"error_title":        "Nous n’avons pas pu connecter votre compte",
		"error_code":         "Code d’erreur",
		"http_status":        "Statut HTTP",
		"other_institution":  "Choisir une autre institution",
		"max_retry":          "Vous avez atteint le nombre maximal de tentatives.",
		"upload_instead":     "Téléverser plutôt des relevés bancaires",
		"upload_offer":       "Vous pouvez aussi partager vos relevés bancaires en fichiers PDF.",
		"demo_title":         "Noms d’utilisateur de test (mode démo)",
		"demo_intro":         "Tout mot de passe fonctionne, sauf s’il est indiqué.",
	},
}

// translate returns the message key in lang, formatted with args; a missing key shows as itself
// so that it is noticed (TestMessagesComplete keeps that from shipping).
func translate(lang, key string, args ...any) string {
	m, ok := messages[lang]
	if !ok {
		m = messages["en"]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

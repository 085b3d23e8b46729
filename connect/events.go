package connect

import "github.com/passbookhq/passbook"

// The steps the widget posts to its host page, with the names Flinks documents. An error is
// posted as an event whose step is its FlinksCode (INVALID_PASSWORD, …) and which carries the
// code in flinksCode; MAXIMUM_RETRY_REACHED and DISABLED_INSTITUTION carry it too.
const (
	AppMounted                       = "APP_MOUNTED"
	ComponentLoadInstitutionSelector = "COMPONENT_LOAD_INSTITUTION_SELECTOR"
	InstitutionSelected              = "INSTITUTION_SELECTED"
	ComponentLoadCredential          = "COMPONENT_LOAD_CREDENTIAL"
	ComponentLoadCredentialRetry     = "COMPONENT_LOAD_CREDENTIAL_RETRY"
	SubmitCredential                 = "SUBMIT_CREDENTIAL"
	ComponentLoadMFA                 = "COMPONENT_LOAD_MFA"
	ComponentLoadMFARetry            = "COMPONENT_LOAD_MFA_RETRY"
	SubmitMFA                        = "SUBMIT_MFA"
	ComponentLoadConsent             = "COMPONENT_LOAD_CONSENT"
	ComponentAcceptConsent           = "COMPONENT_ACCEPT_CONSENT"
	ComponentDenyConsent             = "COMPONENT_DENY_CONSENT"
	ComponentLoadAccountSelection    = "COMPONENT_LOAD_ACCOUNT_SELECTION"
	AccountSelected                  = "ACCOUNT_SELECTED"
	ComponentCloseSession            = "COMPONENT_CLOSE_SESSION"
	MaximumRetryReached              = "MAXIMUM_RETRY_REACHED"
	DisabledInstitutionStep          = "DISABLED_INSTITUTION"
	Redirect                         = "REDIRECT"
)

// Event is one message posted to the host page. Field names are those of Flinks' events.
type Event struct {
	Step              string   `json:"step"`
	FlinksCode        string   `json:"flinksCode,omitempty"`
	HTTPStatusCode    int      `json:"httpStatusCode,omitempty"`
	Message           string   `json:"message,omitempty"`
	Institution       string   `json:"institution,omitempty"`
	URL               string   `json:"url,omitempty"`
	LoginID           string   `json:"loginId,omitempty"`
	RequestID         string   `json:"requestId,omitempty"`
	AccountID         string   `json:"accountId,omitempty"`
	MfaTypes          []string `json:"mfaTypes,omitempty"`
	TotalAccounts     *int     `json:"totalAccounts,omitempty"`
	DisplayedAccounts *int     `json:"displayedAccounts,omitempty"`
	Tag               string   `json:"tag,omitempty"`
}

// errorEvent is the event for a login error: step and flinksCode are its code.
func errorEvent(info passbook.CodeInfo, s *Session) Event {
	return Event{
		Step:           string(info.Code),
		FlinksCode:     string(info.Code),
		HTTPStatusCode: info.HTTPStatus,
		Message:        info.Description,
		Institution:    s.Institution,
		RequestID:      s.RequestID,
		Tag:            s.Opts.Tag,
	}
}

package passbook

import (
	"errors"
	"fmt"
	"sort"
)

// Code is a FlinksCode: the stable name of an outcome that the API returns in `FlinksCode` and the
// Connect widget posts to its host page as `flinksCode`.
type Code string

// The login errors Connect handles (Flinks' documented list, plus the two Upload's fallback needs).
const (
	InvalidUsername                Code = "INVALID_USERNAME"
	InvalidPassword                Code = "INVALID_PASSWORD"
	InvalidLogin                   Code = "INVALID_LOGIN"
	InvalidSecurityResponse        Code = "INVALID_SECURITY_RESPONSE"
	InvalidSecurityResponseNoRetry Code = "INVALID_SECURITY_RESPONSE_NO_RETRY"
	RetryLater                     Code = "RETRY_LATER"
	Unauthorized                   Code = "UNAUTHORIZED"
	NewAccount                     Code = "NEW_ACCOUNT"
	AggregationError               Code = "AGGREGATION_ERROR"
	DisabledInstitution            Code = "DISABLED_INSTITUTION"
	DisabledLogin                  Code = "DISABLED_LOGIN"
	SessionExpired                 Code = "SESSION_EXPIRED"
)

// The API's own outcomes.
const (
	OperationPending    Code = "OPERATION_PENDING"
	OperationDispatched Code = "OPERATION_DISPATCHED"
	SessionNonexistent  Code = "SESSION_NONEXISTENT"
	InvalidRequest      Code = "INVALID_REQUEST"
	TooManyRequests     Code = "TOO_MANY_REQUESTS"
	NotFound            Code = "NOT_FOUND"
	MethodNotAllowed    Code = "METHOD_NOT_ALLOWED"
	QuotaExceeded       Code = "QUOTA_EXCEEDED"
	PayloadTooLarge     Code = "PAYLOAD_TOO_LARGE"
	UnsupportedFile     Code = "UNSUPPORTED_FILE"
	InternalError       Code = "INTERNAL_ERROR"
	// FilePasswordRequired: an uploaded PDF is protected by a password and none was sent.
	FilePasswordRequired Code = "FILE_PASSWORD_REQUIRED"
	// FilePasswordIncorrect: the password sent for an uploaded PDF does not open it.
	FilePasswordIncorrect Code = "FILE_PASSWORD_INCORRECT"
)

// Codes Flinks' API answers that are not login outcomes of Connect.
const (
	// CardInUse: DeleteCard on a login whose data is still being gathered or processed.
	CardInUse Code = "CARD_IN_USE"
	// SecurityResponsesIncomplete: Authorize's SecurityResponses leave a question unanswered.
	SecurityResponsesIncomplete Code = "SECURITYRESPONSES_INCOMPLETE"
	// UnknownChallengeKey: Authorize's SecurityResponses answer a question that was not asked.
	UnknownChallengeKey Code = "UNKNOWN_CHALLENGE_KEY"
	// AccessDenied: the flinks-auth-key (or Authorization: Bearer) is not valid for the customer.
	AccessDenied Code = "ACCESS_DENIED"
)

// CodeInfo is everything Passbook knows about a Code: the HTTP status that carries it, the
// messages a customer sees (English and French), what the customer should do, whether the widget
// lets the customer try again on the same screen, and whether it triggers the Upload fallback.
type CodeInfo struct {
	Code        Code
	HTTPStatus  int
	Description string // for developers: what happened
	MessageEN   string // for the customer
	MessageFR   string
	Action      string // what the customer should do
	Retryable   bool   // the widget keeps the customer on the same screen to try again
	Fallback    bool   // the Upload fallback is offered after this error
	LoginError  bool   // one of the errors Connect handles during a login
}

// Message returns the customer message in language "fr" or, for anything else, English.
func (c CodeInfo) Message(language string) string {
	if language == "fr" && c.MessageFR != "" {
		return c.MessageFR
	}
	return c.MessageEN
}

// codeTable is the one definition of every code; the widget, the API and the docs read it.
// It is never written after package initialisation.
var codeTable = map[Code]CodeInfo{
	InvalidUsername: {InvalidUsername, 401, "The username provided was different from what the bank expected.",
		"The username you entered is not the one your bank expected. Please enter it again.",
		"Le nom d’utilisateur saisi ne correspond pas à celui attendu par votre banque. Veuillez le saisir de nouveau.",
		"Re-enter the username.", true, true, true},
	InvalidPassword: {InvalidPassword, 401, "The password provided was different from what the bank expected.",
		"The password you entered is incorrect. Please enter it again.",
		"Le mot de passe saisi est incorrect. Veuillez le saisir de nouveau.",
		"Re-enter the password.", true, true, true},
	InvalidLogin: {InvalidLogin, 401, "The provided credentials are incorrect.",
		"Your username or password is incorrect. Please check them and try again.",
		"Votre nom d’utilisateur ou votre mot de passe est incorrect. Veuillez les vérifier et réessayer.",
		"Verify and re-enter the login details.", true, true, true},
	InvalidSecurityResponse: {InvalidSecurityResponse, 401, "The MFA response provided was different from what the bank expected.",
		"That answer does not match what your bank has on file. Please try the security question again.",
		"Cette réponse ne correspond pas à celle enregistrée par votre banque. Veuillez répondre de nouveau à la question de sécurité.",
		"Answer the security question again.", true, false, true},
	InvalidSecurityResponseNoRetry: {InvalidSecurityResponseNoRetry, 401, "The MFA response was wrong and the bank allows no further attempt.",
		"Your answer to the security question was incorrect and your bank allows no further attempts for now.",
		"Votre réponse à la question de sécurité était incorrecte et votre banque ne permet plus d’essai pour le moment.",
		"Connect another way, or try again later.", false, true, true},
	RetryLater: {RetryLater, 401, "Unable to open a connection with the financial institution.",
		"We could not reach your bank right now. Please try again later.",
		"Nous ne pouvons pas joindre votre banque pour le moment. Veuillez réessayer plus tard.",
		"Try again later.", false, true, true},
	Unauthorized: {Unauthorized, 401, "The institution did not authorize access.",
		"Your bank did not authorize this connection. You may need to complete additional steps on your bank’s website.",
		"Votre banque n’a pas autorisé cette connexion. Vous devrez peut-être effectuer des étapes supplémentaires sur le site de votre banque.",
		"Complete the additional steps on the bank's website.", false, false, true},
	NewAccount: {NewAccount, 401, "The customer must take action directly in online banking before connecting.",
		"Your bank needs you to take action in your online banking first (for example, to accept new terms). Please log in to your bank’s website, then try again.",
		"Votre banque vous demande d’agir d’abord dans vos services bancaires en ligne (par exemple, accepter de nouvelles conditions). Connectez-vous au site de votre banque, puis réessayez.",
		"Log in to the bank's website first (e.g. accept terms).", false, false, true},
	AggregationError: {AggregationError, 500, "An unexpected error happened during processing.",
		"Something went wrong while retrieving your information. Please try again; if it keeps happening, contact support.",
		"Une erreur s’est produite lors de la récupération de vos informations. Veuillez réessayer; si le problème persiste, contactez le soutien.",
		"Try again; contact support if it persists.", true, true, true},
	DisabledInstitution: {DisabledInstitution, 405, "The selected financial institution is not currently available.",
		"This financial institution is not available at the moment. Please choose another one or try again later.",
		"Cette institution financière n’est pas disponible pour le moment. Veuillez en choisir une autre ou réessayer plus tard.",
		"Choose another institution or try again later.", false, false, true},
	DisabledLogin: {DisabledLogin, 401, "The account has been deactivated by the financial institution.",
		"Your online banking access has been deactivated by your bank. Please contact your bank to reactivate it.",
		"Votre accès aux services bancaires en ligne a été désactivé par votre banque. Veuillez communiquer avec elle pour le réactiver.",
		"Contact the bank to reactivate the account.", false, true, true},
	SessionExpired: {SessionExpired, 401, "The session timed out during authentication.",
		"Your session timed out. Please start again.",
		"Votre session a expiré. Veuillez recommencer.",
		"Start the connection again.", false, true, true},

	OperationPending: {OperationPending, 202, "The operation is still running; poll the Async endpoint with the RequestId.",
		"We are still retrieving your information.", "Nous récupérons encore vos informations.", "Poll again.", false, false, false},
	OperationDispatched: {OperationDispatched, 202, "The request was dispatched and is waiting to be processed.",
		"Your request is on its way.", "Votre demande est en cours d’envoi.", "Poll again.", false, false, false},
	SessionNonexistent: {SessionNonexistent, 400, "The RequestId or session does not exist or has expired.",
		"This session no longer exists. Please start again.", "Cette session n’existe plus. Veuillez recommencer.", "Start a new session.", false, false, false},
	InvalidRequest: {InvalidRequest, 400, "The request is malformed or a field has the wrong type.",
		"The request could not be understood.", "La demande n’a pas pu être comprise.", "Fix the request.", false, false, false},
	TooManyRequests: {TooManyRequests, 429, "Too many requests for this key; slow down.",
		"Too many attempts. Please wait a moment and try again.", "Trop de tentatives. Veuillez patienter un instant et réessayer.", "Retry later.", false, false, false},
	NotFound: {NotFound, 404, "The resource does not exist.",
		"Not found.", "Introuvable.", "Check the identifier.", false, false, false},
	MethodNotAllowed: {MethodNotAllowed, 405, "The endpoint exists but does not answer this HTTP method; the Allow header lists those it answers.",
		"Not allowed.", "Non permis.", "Use a method of the Allow header.", false, false, false},
	QuotaExceeded: {QuotaExceeded, 429, "The customer's upload quota is used up.",
		"Uploads are not available right now. Please contact the company that sent you here.",
		"Le téléversement n’est pas disponible pour le moment. Veuillez communiquer avec l’entreprise qui vous a dirigé ici.",
		"Raise the quota.", false, false, false},
	PayloadTooLarge: {PayloadTooLarge, 413, "The upload is larger than the limits allow.",
		"These files are too large to upload together.", "Ces fichiers sont trop volumineux pour être téléversés ensemble.", "Send fewer or smaller files.", false, false, false},
	UnsupportedFile: {UnsupportedFile, 415, "A file is not of a supported type.",
		"This file type is not supported. Please upload PDF statements.", "Ce type de fichier n’est pas pris en charge. Veuillez téléverser des relevés PDF.", "Upload PDF files.", false, false, false},
	FilePasswordRequired: {FilePasswordRequired, 400, "An uploaded PDF is protected by a password; send it again with the password in the form field \"password.N\" (N: the file's position, from 0).",
		"This file is protected by a password. Please enter its password.", "Ce fichier est protégé par un mot de passe. Veuillez entrer son mot de passe.", "Ask for the file's password and send the upload again with it.", true, false, false},
	FilePasswordIncorrect: {FilePasswordIncorrect, 400, "The password sent for an uploaded PDF does not open it.",
		"This password does not open the file. Please try again.", "Ce mot de passe n’ouvre pas le fichier. Veuillez réessayer.", "Ask for the password again.", true, false, false},
	CardInUse: {CardInUse, 400, "The login is still being processed and cannot be deleted yet; retry once its data is ready.",
		"This connection is still being processed. Please try again in a moment.", "Cette connexion est encore en traitement. Veuillez réessayer dans un instant.", "Retry DeleteCard after the data is ready.", false, false, false},
	SecurityResponsesIncomplete: {SecurityResponsesIncomplete, 401, "SecurityResponses does not answer every security challenge asked.",
		"Please answer every security question.", "Veuillez répondre à toutes les questions de sécurité.", "Answer every prompt of SecurityChallenges.", false, false, false},
	UnknownChallengeKey: {UnknownChallengeKey, 401, "SecurityResponses answers a prompt that was not asked under this RequestId.",
		"That answer does not match a question that was asked.", "Cette réponse ne correspond à aucune question posée.", "Use the Prompt of each SecurityChallenge as the key.", false, false, false},
	AccessDenied: {AccessDenied, 401, "The flinks-auth-key (or Bearer token) is not valid for this customer.",
		"Access denied.", "Accès refusé.", "Send a fresh token from GenerateAuthorizeToken, or the customer's secret.", false, false, false},
	InternalError: {InternalError, 500, "An internal error happened; it has been logged.",
		"Something went wrong on our side. Please try again.", "Une erreur s’est produite de notre côté. Veuillez réessayer.", "Retry; contact support if it persists.", false, false, false},
}

// Lookup returns the table entry for c; ok is false for a code the table does not know.
func Lookup(c Code) (CodeInfo, bool) {
	info, ok := codeTable[c]
	return info, ok
}

// Info returns the table entry for c, or that of INTERNAL_ERROR for an unknown code.
func (c Code) Info() CodeInfo {
	if info, ok := codeTable[c]; ok {
		return info
	}
	return codeTable[InternalError]
}

// LoginErrors returns the login errors Connect handles, sorted by code.
func LoginErrors() []CodeInfo {
	var out []CodeInfo
	for _, info := range codeTable {
		if info.LoginError {
			out = append(out, info)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Error is an outcome with a FlinksCode. Handlers return it (or wrap it); one function in the api
// package turns it into an HTTP response. Message, when set, replaces the table's description.
type Error struct {
	Code    Code
	Message string
	Err     error // the cause, logged but never shown to clients
}

// Errorf returns an *Error with code c and a formatted message.
func Errorf(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code.Info().Description
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// HTTPStatus returns the status that carries the error's code.
func (e *Error) HTTPStatus() int { return e.Code.Info().HTTPStatus }

// ErrorCode returns the FlinksCode of err: that of the first *Error in its chain, or
// INTERNAL_ERROR when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return InternalError
}

// PublicMessage returns what a client may be told about err: the *Error's message, or the
// table's description of its code; never the text of an internal cause.
func PublicMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Message != "" {
			return e.Message
		}
		return e.Code.Info().Description
	}
	return codeTable[InternalError].Description
}

// StatusOf returns the HTTP status for err (500 for an error without a code).
func StatusOf(err error) int {
	if err == nil {
		return 200 // http.StatusOK; the domain package does not link net/http
	}
	return ErrorCode(err).Info().HTTPStatus
}

// Domain error kinds. Storage returns them (wrapped, with detail) and callers test them with
// errors.Is; storage never chooses a Code or a message for a client — only the HTTP edges do.
var (
	// ErrNotFound: the thing asked for does not exist (or is not the caller's, or is disabled).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write clashes with what is stored (an e-mail address already used, a
	// one-use token already spent).
	ErrConflict = errors.New("conflict")
	// ErrExpired: the thing exists but its time is over (an authorize token).
	ErrExpired = errors.New("expired")
	// ErrQuotaExceeded: the customer's upload quota is used up; nothing was stored.
	ErrQuotaExceeded = errors.New("quota exceeded")
)

package api

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

func strp(s string) *string { return &s }

type tokenResponse struct {
	HttpStatusCode int
	Token          string
}

func (s *Server) generateAuthorizeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := customerID(r)
	if err != nil {
		return err
	}
	secret := r.Header.Get("flinks-auth-key")
	if secret == "" {
		secret = Bearer(r)
	}
	if secret == "" {
		return passbook.Errorf(passbook.AccessDenied, "The flinks-auth-key header (your secret) is missing.")
	}
	addr, err := s.credentialGate(r)
	if err != nil {
		return err
	}
	ok, err := s.db.CheckSecret(r.Context(), id, secret)
	if err != nil {
		return err
	}
	if !ok {
		s.failed(addr)
		return passbook.Errorf(passbook.AccessDenied, "The flinks-auth-key is not this customer's secret.")
	}
	if err := s.spend("GenerateAuthorizeToken", id); err != nil {
		return err
	}
	tok, err := s.auth.NewAuthorizeToken(r.Context(), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, tokenResponse{HttpStatusCode: 200, Token: tok})
	return nil
}

// AccessTokenTTL is how long an access token from Token lives.
const AccessTokenTTL = 30 * time.Minute

// accessTokenResponse is Token's answer, in the OAuth field names Flinks' clients read.
type accessTokenResponse struct {
	HttpStatusCode int
	AccessToken    string `json:"access_token"`
	TokenType      string `json:"token_type"`
	ExpiresIn      int    `json:"expires_in"`
}

// token answers Token: the customer's secret (body "secret", or the flinks-auth-key header)
// exchanged for an access token that Authorization: Bearer carries to every endpoint for
// AccessTokenTTL. client_id, when sent, must be the customer id of the path.
func (s *Server) token(w http.ResponseWriter, r *http.Request) error {
	id, err := customerID(r)
	if err != nil {
		return err
	}
	var b struct {
		ClientID  string `json:"client_id"`
		ClientId2 string `json:"ClientId"`
		Secret    string `json:"secret"`
	}
	if err := decodeBody(w, r, &b, true); err != nil {
		return err
	}
	secret := cmp.Or(b.Secret, r.Header.Get("flinks-auth-key"))
	if cid := cmp.Or(b.ClientID, b.ClientId2); cid != "" && !strings.EqualFold(cid, id) {
		return passbook.Errorf(passbook.AccessDenied, "client_id is not the customer of this path.")
	}
	if secret == "" || len(secret) > 200 {
		return passbook.Errorf(passbook.AccessDenied, "Send your secret (\"secret\" in the body).")
	}
	addr, err := s.credentialGate(r)
	if err != nil {
		return err
	}
	ok, err := s.db.CheckSecret(r.Context(), id, secret)
	if err != nil {
		return err
	}
	if !ok {
		s.failed(addr)
		return passbook.Errorf(passbook.AccessDenied, "The secret is not this customer's.")
	}
	if err := s.spend("Token", id); err != nil {
		return err
	}
	now := s.now()
	tok, err := s.db.CreateAccessToken(r.Context(), id, now, now.Add(AccessTokenTTL))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, accessTokenResponse{HttpStatusCode: 200, AccessToken: tok, TokenType: "Bearer", ExpiresIn: int(AccessTokenTTL.Seconds())})
	return nil
}

// authorizeBody is Authorize's request in Flinks' field names (matched without regard to case).
type authorizeBody struct {
	Institution       string
	Username          string
	Password          string
	Save              flexBool
	LoginId           string
	MostRecentCached  flexBool
	RequestId         string
	SecurityResponses map[string]answers
	Language          string
	Tag               string
}

// AuthorizeResponse is Authorize's answer: 200 with Login, 203 with SecurityChallenges, or 202
// with FlinksCode OPERATION_PENDING / OPERATION_DISPATCHED.
type AuthorizeResponse struct {
	Links              []Link                       `json:",omitempty"`
	HttpStatusCode     int                          //
	Login              *passbook.Login              `json:",omitempty"`
	SecurityChallenges []passbook.SecurityChallenge `json:",omitempty"`
	Institution        string                       `json:",omitempty"`
	RequestId          string                       //
	FlinksCode         passbook.Code                `json:",omitempty"`
	Message            string                       `json:",omitempty"`
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) error {
	c, err := s.checkAuthKey(r.Context(), r)
	if err != nil {
		return err
	}
	var b authorizeBody
	if err := decodeBody(w, r, &b, false); err != nil {
		return err
	}
	if b.RequestId == "" && b.LoginId == "" && (b.Username == "" || b.Password == "") {
		return passbook.Errorf(passbook.InvalidRequest, "Send Institution, Username and Password; or LoginId (with MostRecentCached); or RequestId with SecurityResponses.")
	}
	if len(b.RequestId) > 100 || len(b.LoginId) > 100 || len(b.Username) > 256 || len(b.Password) > 1024 {
		return passbook.Errorf(passbook.InvalidRequest, "A field is longer than allowed.")
	}
	req := passbook.AuthorizeRequest{
		Institution: b.Institution, Username: b.Username, Password: b.Password, Save: bool(b.Save),
		LoginId: b.LoginId, MostRecentCached: bool(b.MostRecentCached), RequestId: b.RequestId,
		Language: b.Language, Tag: b.Tag,
	}
	if len(b.SecurityResponses) > 0 {
		req.SecurityResponses = make(map[string][]string, len(b.SecurityResponses))
		for k, v := range b.SecurityResponses {
			req.SecurityResponses[k] = v
		}
	}
	res, err := s.auth.Authorize(r.Context(), c, req)
	if err != nil {
		return err
	}
	WriteJSON(w, res.HTTPStatus, s.authorizeResponse(c.Id, res))
	return nil
}

func (s *Server) authorizeResponse(customerID string, res *passbook.AuthorizeResult) AuthorizeResponse {
	out := AuthorizeResponse{
		HttpStatusCode:     res.HTTPStatus,
		Login:              res.Login,
		SecurityChallenges: res.SecurityChallenges,
		Institution:        res.Institution,
		RequestId:          res.RequestId,
		FlinksCode:         res.Code,
	}
	switch res.HTTPStatus {
	case http.StatusOK:
		out.Links = []Link{
			{Rel: "AccountsDetail", Href: "/GetAccountsDetail"},
			{Rel: "AccountsSummary", Href: "/GetAccountsSummary"},
			{Rel: "Statements", Href: "/GetStatements"},
		}
	case http.StatusNonAuthoritativeInfo:
		out.Links = []Link{{Rel: "Authorization", Href: "/Authorize"}}
	case http.StatusAccepted:
		out.Message = res.Code.Info().Description
		out.Links = []Link{
			{Rel: "Authorization", Href: "/Authorize", Example: strp(`{"RequestId":"` + res.RequestId + `"}`)},
			{Rel: "_async", Href: asyncHref(customerID, "GetAccountsDetailAsync", res.RequestId)},
		}
	}
	return out
}

func asyncHref(customerID, endpoint, requestID string) string {
	return "/v3/" + customerID + "/BankingServices/" + endpoint + "/" + requestID
}

type authorizeMultipleBody struct {
	LoginIds         []string
	MostRecentCached flexBool
	Language         string
}

// LoginRequestPair is one opened session of AuthorizeMultiple.
type LoginRequestPair struct {
	LoginId   string
	RequestId string
}

// AuthorizeMultipleResponse opens cached sessions on many logins at once.
type AuthorizeMultipleResponse struct {
	HttpStatusCode  int
	ValidLoginIds   []LoginRequestPair
	InvalidLoginIds []string
}

// maxMultiple is the most LoginIds AuthorizeMultiple takes in one call.
const maxMultiple = 100

func (s *Server) authorizeMultiple(w http.ResponseWriter, r *http.Request) error {
	c, err := s.checkAuthKey(r.Context(), r)
	if err != nil {
		return err
	}
	var b authorizeMultipleBody
	if err := decodeBody(w, r, &b, false); err != nil {
		return err
	}
	if len(b.LoginIds) == 0 {
		return passbook.Errorf(passbook.InvalidRequest, "LoginIds must list at least one LoginId.")
	}
	if len(b.LoginIds) > maxMultiple {
		return passbook.Errorf(passbook.InvalidRequest, "LoginIds may list at most %d LoginIds.", maxMultiple)
	}
	out := AuthorizeMultipleResponse{HttpStatusCode: 200, ValidLoginIds: []LoginRequestPair{}, InvalidLoginIds: []string{}}
	for _, id := range b.LoginIds {
		if id == "" || len(id) > 100 {
			out.InvalidLoginIds = append(out.InvalidLoginIds, truncate(id, 100))
			continue
		}
		res, err := s.auth.Authorize(r.Context(), c, passbook.AuthorizeRequest{LoginId: id, MostRecentCached: true, Language: b.Language})
		switch {
		case err == nil:
			out.ValidLoginIds = append(out.ValidLoginIds, LoginRequestPair{LoginId: id, RequestId: res.RequestId})
		case passbook.ErrorCode(err) == passbook.InvalidLogin:
			out.InvalidLoginIds = append(out.InvalidLoginIds, id)
		default:
			return err
		}
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

// DeleteCardResponse confirms a deletion.
type DeleteCardResponse struct {
	HttpStatusCode int
	Message        string
	LoginId        string
}

func (s *Server) deleteCard(w http.ResponseWriter, r *http.Request) error {
	id, err := s.checkAPIKey(r.Context(), r)
	if err != nil {
		return err
	}
	loginID := r.PathValue("loginId")
	if len(loginID) > 100 {
		return passbook.Errorf(passbook.InvalidLogin, "The provided LoginId is invalid.")
	}
	if err := s.auth.DeleteLogin(r.Context(), id, loginID); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, DeleteCardResponse{HttpStatusCode: 200, LoginId: loginID,
		Message: "All of the information about LoginId " + loginID + " has been removed"})
	return nil
}

package connect

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/passbookhq/passbook"
)

// The upload screens: the offer beside the credentials (Primary) or after a login error that
// allows it (Fallback), the upload-only flow at /v2/upload (institution selector, then the upload
// screen), and force upload at /v2/upload/{Institution Name}. The screen sends the files with
// XMLHttpRequest to the intake (POST /v2/api/upload, authenticated by the sealed session in the
// X-Passbook-Session header), then posts the receipt's LoginId to /v2/upload/finish, which
// checks that the login is the customer's and ends like a linked login (Handler.Finish).

// Events of the upload path. Flinks documents no names for them; they follow its pattern.
const (
	ComponentLoadUpload = "COMPONENT_LOAD_UPLOAD"
	SubmitUpload        = "SUBMIT_UPLOAD" // posted by upload.js when the files are sent
	UploadRefused       = "UPLOAD_ERROR"  // posted by upload.js, with flinksCode, when the server refuses
)

// UploadEndpoint is the intake the upload screen sends files to (package upload serves it).
const UploadEndpoint = "/v2/api/upload"

// UploadLimits are the limits the upload screen checks before sending, for its messages; the
// server enforces them. Zero fields take the defaults of DefaultUploadLimits.
type UploadLimits struct {
	MaxFiles     int
	MaxFileBytes int64
	MaxTotal     int64
}

// DefaultUploadLimits are the intake's documented limits: 24 files, 20 MB each, 180 MB in all.
var DefaultUploadLimits = UploadLimits{MaxFiles: 24, MaxFileBytes: 20 << 20, MaxTotal: 180 << 20}

func (l UploadLimits) withDefaults() UploadLimits {
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultUploadLimits.MaxFiles
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultUploadLimits.MaxFileBytes
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = DefaultUploadLimits.MaxTotal
	}
	return l
}

// uploadScreen is what upload.html reads beyond the common view.
type uploadScreen struct {
	Off     bool   // uploads are turned off for this visit
	Unknown string // the institution name of a force-upload URL that matches none
	Limits  UploadLimits
	FileMB  int64 // Limits in MB, for the text
	TotalMB int64
	Client  uploadClient
}

// uploadClient is what upload.js reads from the page (#pb-upload-data).
type uploadClient struct {
	Endpoint     string            `json:"endpoint"`
	MaxFiles     int               `json:"maxFiles"`
	MaxFileBytes int64             `json:"maxFileBytes"`
	MaxTotal     int64             `json:"maxTotal"`
	Institution  string            `json:"institution"`
	Tag          string            `json:"tag,omitempty"`
	Messages     map[string]string `json:"messages"`
}

// registerUpload mounts the upload screens.
func (h *Handler) registerUpload(mux *http.ServeMux) {
	mux.Handle("GET /v2/upload", h.handle(h.uploadStart))
	mux.Handle("GET /v2/upload/{$}", h.handle(h.uploadStart))
	mux.Handle("GET /v2/upload/{institution}", h.handle(h.uploadInstitution))
	mux.Handle("POST /v2/upload/{institution}", h.handle(h.uploadInstitution))
	mux.HandleFunc("POST /v2/upload/finish", h.uploadFinish)
}

// uploadStart is GET /v2/upload: the upload-only flow, which starts like the widget (options,
// customer, authorizeToken) and whose institution selector leads to the upload screen.
func (h *Handler) uploadStart(r *http.Request) (*view, error) {
	v, err := h.start(r)
	if err != nil {
		return nil, err
	}
	v.Sess.UploadOnly = true
	if uploadMode(v.Sess, v.Customer) == "off" {
		return h.uploadOffView(v.Sess, v.Customer), nil
	}
	return v, nil
}

// uploadInstitution is GET /v2/upload/{institution}: the upload screen for an institution,
// either from the widget's offer (with its sealed session in "s") or directly (force upload),
// in which case the visit starts here, with the widget's query parameters.
func (h *Handler) uploadInstitution(r *http.Request) (*view, error) {
	name := clip(strings.TrimSpace(r.PathValue("institution")), 200)
	if token := r.FormValue("s"); token != "" { // posted by the widget; a link's ?s= still works
		sess, c, err := h.OpenSession(r.Context(), token)
		if err != nil {
			return nil, err
		}
		if sess.LoginID != "" {
			return nil, fail(passbook.Errorf(passbook.InvalidRequest, "this connection is complete"), sess, c)
		}
		if sess.Institution == "" || foldName(sess.Institution) != foldName(name) {
			return h.forceUpload(r, sess, c, name)
		}
		return h.uploadView(sess, c)
	}
	start, err := h.start(r)
	if err != nil {
		return nil, err
	}
	start.Sess.UploadOnly = true
	return h.forceUpload(r, start.Sess, start.Customer, name)
}

// forceUpload opens the upload screen for the institution named name (case and accents
// ignored), or a screen that says it is unknown and leads to the selector.
func (h *Handler) forceUpload(r *http.Request, sess *Session, c *passbook.Customer, name string) (*view, error) {
	if uploadMode(sess, c) == "off" {
		return h.uploadOffView(sess, c), nil
	}
	list, err := h.institutions(r, sess)
	if err != nil {
		return nil, fail(err, sess, c)
	}
	want := foldName(name)
	for _, in := range list {
		if want == "" || foldName(in.Name) != want {
			continue
		}
		*sess = Session{CustomerID: sess.CustomerID, Opts: sess.Opts, Consented: sess.Consented, Institution: in.Name, UploadOnly: true}
		if in.Disabled {
			return h.loginErrorView(r, sess, c, passbook.DisabledInstitution.Info(), false), nil
		}
		v, err := h.uploadView(sess, c)
		if err != nil {
			return nil, err
		}
		v.Events = append([]Event{{Step: AppMounted, Tag: sess.Opts.Tag}, {Step: InstitutionSelected, Institution: in.Name}}, v.Events...)
		return v, nil
	}
	fresh := &Session{CustomerID: sess.CustomerID, Opts: sess.Opts, UploadOnly: true}
	return &view{Page: "upload", Sess: fresh, Customer: c,
		UploadScreen: &uploadScreen{Unknown: name},
		Events:       []Event{{Step: AppMounted, Tag: sess.Opts.Tag}}}, nil
}

// uploadView is the upload screen for the session's institution.
func (h *Handler) uploadView(sess *Session, c *passbook.Customer) (*view, error) {
	if uploadMode(sess, c) == "off" {
		return h.uploadOffView(sess, c), nil
	}
	lang := sess.Opts.Language
	lim := h.cfg.UploadLimits.withDefaults()
	mb := func(n int64) int64 { return n >> 20 }
	msg := map[string]string{
		"count":    translate(lang, "upload_err_count", lim.MaxFiles),
		"size":     translate(lang, "upload_err_size", "{name}", mb(lim.MaxFileBytes)),
		"total":    translate(lang, "upload_err_total", mb(lim.MaxTotal)),
		"type":     translate(lang, "upload_err_type", "{name}"),
		"pwNeeded": translate(lang, "upload_pw_needed", "{name}"),
		"pwWrong":  translate(lang, "upload_pw_wrong", "{name}"),
		"pwLabel":  translate(lang, "upload_pw_label", "{name}"),
		"empty":    translate(lang, "upload_err_empty", "{name}"),
		"network":  translate(lang, "upload_err_network"),
		"none":     translate(lang, "upload_none"),
		"remove":   translate(lang, "upload_remove", "{name}"),
		"sending":  translate(lang, "upload_sending"),
		"added":    translate(lang, "upload_added", "{count}"),
		"code":     translate(lang, "error_code"),
	}
	v := &view{Page: "upload", Sess: sess, Customer: c, Institution: sess.Institution,
		UploadScreen: &uploadScreen{Limits: lim, FileMB: mb(lim.MaxFileBytes), TotalMB: mb(lim.MaxTotal), Client: uploadClient{
			Endpoint: UploadEndpoint, MaxFiles: lim.MaxFiles, MaxFileBytes: lim.MaxFileBytes, MaxTotal: lim.MaxTotal,
			Institution: sess.Institution, Tag: sess.Opts.Tag, Messages: msg,
		}},
		Events: []Event{{Step: ComponentLoadUpload, Institution: sess.Institution, Tag: sess.Opts.Tag}}}
	return v, nil
}

// uploadOffView says that uploads are turned off.
func (h *Handler) uploadOffView(sess *Session, c *passbook.Customer) *view {
	return &view{Page: "upload", Sess: sess, Customer: c, Institution: sess.Institution, Status: http.StatusForbidden,
		UploadScreen: &uploadScreen{Off: true}}
}

// uploadFinish is POST /v2/upload/finish: the intake accepted the files and answered a LoginId;
// the widget ends as for a linked login, with REDIRECT and redirectUrl.
func (h *Handler) uploadFinish(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 128<<10)
	sess, c, err := h.Session(r)
	if err != nil {
		h.render(w, r, h.errorView(r, err))
		return
	}
	loginID := clip(strings.TrimSpace(r.FormValue("loginId")), 100)
	switch {
	case sess.LoginID != "":
		err = passbook.Errorf(passbook.InvalidRequest, "this connection is complete")
	case uploadMode(sess, c) == "off":
		err = passbook.Errorf(passbook.Unauthorized, "uploads are turned off")
	case h.cfg.UploadLogin == nil:
		err = errors.New("connect: no UploadLogin configured")
	case loginID == "":
		err = passbook.Errorf(passbook.InvalidRequest, "loginId is required")
	}
	var login *passbook.Login
	if err == nil {
		login, err = h.cfg.UploadLogin(r.Context(), c.Id, loginID)
		err = unknownLogin(err)
	}
	if err == nil && login.Type != passbook.LoginUpload {
		err = passbook.Errorf(passbook.InvalidRequest, "this login was not made by an upload")
	}
	if err != nil {
		h.render(w, r, h.errorView(r, fail(err, sess, c)))
		return
	}
	received, _ := strconv.Atoi(r.FormValue("files"))
	if received < 1 || received > max(h.cfg.UploadLimits.MaxFiles, DefaultUploadLimits.MaxFiles) {
		received = 0
	}
	h.finish(w, r, sess, c, login, received)
}

// foldName is an institution name compared without case, accents or spaces, so that
// "Banque Élan", "banque elan" and "BanqueElan" are one name.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Mn, r): // spaces, combining accents
			continue
		}
		if base, ok := unaccent[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// unaccent maps the accented Latin letters of French, Spanish, Portuguese and German names to
// their bases, lower case. Read-only.
var unaccent = func() map[rune]string {
	m := map[rune]string{}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăąÀÁÂÃÄÅĀĂĄ", "c": "çćĉċčÇĆĈĊČ", "d": "ďđĎĐ", "e": "èéêëēĕėęěÈÉÊËĒĔĖĘĚ",
		"g": "ĝğġģĜĞĠĢ", "h": "ĥħĤĦ", "i": "ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ", "j": "ĵĴ", "k": "ķĶ",
		"l": "ĺļľŀłĹĻĽĿŁ", "n": "ñńņňÑŃŅŇ", "o": "òóôõöøōŏőÒÓÔÕÖØŌŎŐ", "r": "ŕŗřŔŖŘ",
		"s": "śŝşšŚŜŞŠ", "t": "ţťŧŢŤŦ", "u": "ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ", "w": "ŵŴ", "y": "ýÿŷÝŸŶ",
		"z": "źżžŹŻŽ", "ae": "æÆ", "oe": "œŒ", "ss": "ß",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

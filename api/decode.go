package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/passbookhq/passbook"
)

// maxBody is the largest JSON body the API reads.
const maxBody = 1 << 20

// decodeBody reads r's JSON body into v. Malformed JSON, a value of the wrong type, trailing
// data and an oversized body are INVALID_REQUEST (or PAYLOAD_TOO_LARGE) errors that say what is
// wrong and where. An empty body decodes as {} when emptyOK.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, emptyOK bool) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return passbook.Errorf(passbook.PayloadTooLarge, "The request body is larger than %d bytes.", maxBody)
		}
		return passbook.Errorf(passbook.InvalidRequest, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		if emptyOK {
			return nil
		}
		return passbook.Errorf(passbook.InvalidRequest, "The request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return passbook.Errorf(passbook.InvalidRequest, "Unexpected data after the JSON object at offset %d.", dec.InputOffset())
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var fe *fieldError
	switch {
	case errors.As(err, &syn):
		return &passbook.Error{Code: passbook.InvalidRequest, Message: fmt.Sprintf("Malformed JSON at offset %d: %s.", syn.Offset, syn.Error()), Err: err}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &passbook.Error{Code: passbook.InvalidRequest, Message: fmt.Sprintf("The body must be a JSON object, not %s.", typ.Value), Err: err}
		}
		return &passbook.Error{Code: passbook.InvalidRequest, Message: fmt.Sprintf("Field %s must be %s, not %s.", field, typeName(typ.Type.String()), typ.Value), Err: err}
	case errors.As(err, &fe):
		return &passbook.Error{Code: passbook.InvalidRequest, Message: fe.msg, Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &passbook.Error{Code: passbook.InvalidRequest, Message: "Malformed JSON: the body ends too early.", Err: err}
	}
	return &passbook.Error{Code: passbook.InvalidRequest, Message: "Malformed JSON.", Err: err}
}

func typeName(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "bool", strings.HasSuffix(goType, "flexBool"):
		return "a boolean"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map["):
		return "an object"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "float"):
		return "a number"
	}
	return "of type " + goType
}

type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

// flexBool is a boolean that also accepts "true" and "false" as strings, as some Flinks clients
// send MostRecentCached.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	switch strings.ToLower(strings.Trim(string(data), `"`)) {
	case "true":
		*b = true
	case "false", "null":
		*b = false
	default:
		return &fieldError{fmt.Sprintf("A boolean field got %s; send true or false.", truncate(string(data), 40))}
	}
	return nil
}

// answers is a SecurityResponses value: an array of strings, or one string.
type answers []string

func (a *answers) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*a = answers{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return &fieldError{"Each SecurityResponses value must be an array of strings (or a string)."}
	}
	*a = many
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

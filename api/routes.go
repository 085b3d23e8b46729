package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
)

// route is one path of the OpenAPI document with the methods it answers.
type route struct {
	segments []string // literal segments, or "" for a {parameter}
	params   []string // the parameter names, by segment ("" for a literal)
	methods  []string // upper case, sorted
}

// routeTable is the route table of /openapi.json: every /v3 path and its methods. Flinks matches
// paths and customer ids without regard to case and answers 405 to a known path with another
// method; the table lets the API do the same for every package's routes.
type routeTable []route

// newRouteTable reads the paths of an OpenAPI document.
func newRouteTable(doc []byte) (routeTable, error) {
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	var t routeTable
	for p, ops := range d.Paths {
		rt := route{}
		for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				rt.segments = append(rt.segments, "")
				rt.params = append(rt.params, seg[1:len(seg)-1])
			} else {
				rt.segments = append(rt.segments, seg)
				rt.params = append(rt.params, "")
			}
		}
		for m := range ops {
			switch m {
			case "get", "post", "put", "delete", "patch":
				rt.methods = append(rt.methods, strings.ToUpper(m))
			}
		}
		sort.Strings(rt.methods)
		t = append(t, rt)
	}
	return t, nil
}

// match returns the route of path (compared without regard to case) and the path spelled as the
// route spells it, with the customer id in lower case (Passbook's ids are lower-case UUIDs).
func (t routeTable) match(path string) (*route, string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := range t {
		rt := &t[i]
		if len(rt.segments) != len(segs) {
			continue
		}
		ok := true
		for j, lit := range rt.segments {
			if lit != "" && !strings.EqualFold(lit, segs[j]) {
				ok = false
				break
			}
			if lit == "" && segs[j] == "" {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		out := make([]string, len(segs))
		for j, lit := range rt.segments {
			switch {
			case lit != "":
				out[j] = lit
			case rt.params[j] == "customerId":
				out[j] = strings.ToLower(segs[j])
			default:
				out[j] = segs[j]
			}
		}
		return rt, "/" + strings.Join(out, "/")
	}
	return nil, path
}

// fallback answers what no registered pattern of mux matched under /v3/: a path spelled in
// another case is served as its canonical spelling; a known path asked with another method is
// 405 with Allow; anything else is NOT_FOUND.
func (s *Server) fallback(mux *http.ServeMux) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		rt, canon := s.routes.match(r.URL.Path)
		if rt == nil {
			return passbook.Errorf(passbook.NotFound, "There is no endpoint %s %s.", r.Method, truncate(r.URL.Path, 120))
		}
		if canon != r.URL.Path {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = canon, ""
			if _, pattern := mux.Handler(r2); pattern != "/v3/" && pattern != "/V3/" {
				mux.ServeHTTP(w, r2)
				return nil
			}
		}
		if !slices.Contains(rt.methods, r.Method) {
			w.Header().Set("Allow", strings.Join(rt.methods, ", "))
			return passbook.Errorf(passbook.MethodNotAllowed, "%s is not allowed here; use %s.", truncate(r.Method, 20), strings.Join(rt.methods, " or "))
		}
		return passbook.Errorf(passbook.NotFound, "There is no endpoint %s %s on this server.", r.Method, truncate(r.URL.Path, 120))
	})
}

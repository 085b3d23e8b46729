// Package openapicheck checks JSON values against the schemas of an OpenAPI 3.0 document, for
// the tests that hold Passbook's /openapi.json to the responses the server really sends.
package openapicheck

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Validate checks v against an OpenAPI 3.0 schema: types, nullable, enum, required properties,
// array items, $ref; and it refuses properties the schema does not document.
func Validate(doc map[string]any, schema map[string]any, v any, at string) error {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		s, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return Validate(doc, s, v, at)
	}
	if v == nil {
		if schema["nullable"] == true {
			return nil
		}
		return fmt.Errorf("%s: null where the schema does not allow it", at)
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an object", at, v)
		}
		for _, r := range asList(schema["required"]) {
			if _, ok := m[r.(string)]; !ok {
				return fmt.Errorf("%s: required property %s missing", at, r)
			}
		}
		props, _ := schema["properties"].(map[string]any)
		extra, _ := schema["additionalProperties"].(map[string]any)
		for k, pv := range m {
			if ps, ok := props[k].(map[string]any); ok {
				if err := Validate(doc, ps, pv, at+"."+k); err != nil {
					return err
				}
			} else if extra != nil {
				if err := Validate(doc, extra, pv, at+"."+k); err != nil {
					return err
				}
			} else {
				return fmt.Errorf("%s: property %s is not documented", at, k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an array", at, v)
		}
		items, _ := schema["items"].(map[string]any)
		for i, x := range a {
			if err := Validate(doc, items, x, at+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: %T, want a string", at, v)
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, v.(string)); err != nil {
				return fmt.Errorf("%s: %q is not a date-time", at, v)
			}
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			return fmt.Errorf("%s: %v, want an integer", at, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: %T, want a number", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %T, want a boolean", at, v)
		}
	default:
		return fmt.Errorf("%s: schema without a type", at)
	}
	return nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// Response returns the schema documented for method path's answer with status, or an error when
// the document lacks it. A 405 is looked up on any operation of the path.
func Response(doc map[string]any, method, path string, status int) (map[string]any, error) {
	item, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, ok := item[strings.ToLower(method)].(map[string]any)
	if !ok && status == 405 {
		for _, o := range item {
			op, ok = o.(map[string]any), true
		}
	}
	if !ok {
		return nil, fmt.Errorf("%s %s is not documented", method, path)
	}
	r, ok := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: status %d is not documented", method, path, status)
	}
	return r["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any), nil
}

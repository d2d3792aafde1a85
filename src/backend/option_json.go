package backend

import (
	"encoding/json"
	"fmt"
	"math"
)

// optionJSON is how an Option is kept in deploy.json: the value with its
// kind, so a reload gives back the same Go type. Plain JSON would turn a
// list into []any and an int64 into float64, which rendering refuses or
// renders differently: a replan from the record (prodserver:procfile,
// processes, export) then silently dropped list options.
type optionJSON struct {
	Key   string          `json:"Key"`
	Kind  string          `json:"kind,omitempty"`
	Value json.RawMessage `json:"Value"`
}

// MarshalJSON writes the value with its kind (bool, int, float, string,
// list).
func (o Option) MarshalJSON() ([]byte, error) {
	kind := ""
	switch o.Value.(type) {
	case bool:
		kind = "bool"
	case int, int64:
		kind = "int"
	case float64:
		kind = "float"
	case string:
		kind = "string"
	case []string:
		kind = "list"
	}
	v, err := json.Marshal(o.Value)
	if err != nil {
		return nil, fmt.Errorf("option %s: %w", o.Key, err)
	}
	return json.Marshal(optionJSON{Key: o.Key, Kind: kind, Value: v})
}

// UnmarshalJSON reads what MarshalJSON wrote, and records written before
// kinds were kept (no "kind"): a list of strings becomes []string again,
// an integral number int64.
func (o *Option) UnmarshalJSON(b []byte) error {
	var raw optionJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	o.Key = raw.Key
	var err error
	switch raw.Kind {
	case "bool":
		o.Value, err = decode[bool](raw.Value)
	case "int":
		o.Value, err = decode[int64](raw.Value)
	case "float":
		o.Value, err = decode[float64](raw.Value)
	case "string":
		o.Value, err = decode[string](raw.Value)
	case "list":
		o.Value, err = decode[[]string](raw.Value)
	default:
		var v any
		v, err = decode[any](raw.Value)
		o.Value = legacyValue(v)
	}
	if err != nil {
		return fmt.Errorf("option %s: %w", raw.Key, err)
	}
	return nil
}

// decode reads a JSON value as a T.
func decode[T any](b json.RawMessage) (any, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// legacyValue restores the Go types of a value decoded without its kind.
func legacyValue(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return v
			}
			out = append(out, s)
		}
		return out
	}
	return v
}

package backend

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestOptionJSONRoundTrip: every option value kind survives deploy.json
// with its Go type, and records written before kinds were kept load with
// lists and integers restored.
func TestOptionJSONRoundTrip(t *testing.T) {
	for _, o := range []Option{
		{"preload", true}, {"timeout", int64(60)}, {"ratio", 2.5}, {"whole", 2.0},
		{"log-level", "info"}, {"reload-extra-file", []string{"a.txt", "b.txt"}}, {"empty", []string{}},
	} {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var back Option
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(back, o) {
			t.Errorf("%s loads as %#v, want %#v", b, back, o)
		}
	}
	legacy := []struct {
		in   string
		want Option
	}{
		{`{"Key":"bind","Value":["a","b"]}`, Option{"bind", []string{"a", "b"}}},
		{`{"Key":"timeout","Value":60}`, Option{"timeout", int64(60)}},
		{`{"Key":"ratio","Value":2.5}`, Option{"ratio", 2.5}},
		{`{"Key":"x","Value":"s"}`, Option{"x", "s"}},
	}
	for _, c := range legacy {
		var o Option
		if err := json.Unmarshal([]byte(c.in), &o); err != nil || !reflect.DeepEqual(o, c.want) {
			t.Errorf("%s loads as %#v, %v; want %#v", c.in, o, err, c.want)
		}
	}
}

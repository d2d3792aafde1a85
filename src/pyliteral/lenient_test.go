package pyliteral

import (
	"errors"
	"reflect"
	"testing"
)

func TestLookupLenient(t *testing.T) {
	src := []byte(`REDIS_URL = env("REDIS_URL")
RQ_QUEUES = {
    "high": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120},
    "default": {"URL": env.str("X", default="redis://"), "ARGS": [1, (2, 3)]},
    "low": REDIS_URL + "/1",
    "nested": {"a": {"b": f(x)[0]}, "c": 3},
}
`)
	v, found, err := LookupLenient(src, "RQ_QUEUES")
	if err != nil || !found {
		t.Fatalf("lenient: %v %v", found, err)
	}
	d := v.(*Dict)
	if !reflect.DeepEqual(d.Keys, []Value{"high", "default", "low", "nested"}) {
		t.Errorf("keys %v", d.Keys)
	}
	high := d.Values[0].(*Dict)
	if _, ok := high.Values[0].(NotLiteral); !ok || high.Values[1] != int64(120) {
		t.Errorf("high %#v", high.Values)
	}
	if _, ok := d.Values[2].(NotLiteral); !ok {
		t.Errorf("low %#v", d.Values[2])
	}
	nested := d.Values[3].(*Dict)
	if nested.Values[1] != int64(3) {
		t.Errorf("nested %#v", nested.Values)
	}
	// The strict lookup still refuses it.
	if _, _, err := Lookup(src, "RQ_QUEUES"); !errors.Is(err, ErrNotLiteral) {
		t.Errorf("strict: %v", err)
	}
	// Lenient is only about dict values: a top-level expression, a list
	// item and a syntax error still fail.
	for _, bad := range []string{"X = env('A')\n", "X = [1, env('A')]\n", "X = {'a': (1,\n", "X = {'a': env(}\n"} {
		if _, _, err := LookupLenient([]byte(bad), "X"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

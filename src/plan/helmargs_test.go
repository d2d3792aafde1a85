package plan

import (
	"reflect"
	"testing"
)

// TestHelmUnsafeWords: words that Helm's unquoted `- {{ . }}` args would
// turn into numbers, booleans or null (or break) are found; prodserver's
// one-word --key=value flags and dotted targets are not.
func TestHelmUnsafeWords(t *testing.T) {
	cases := []struct {
		name, cmd string
		want      []string
	}{
		{"rendered gunicorn", "gunicorn --bind=0.0.0.0:$PORT --workers=3 shop.wsgi:application", nil},
		{"split port", "uvicorn --port $PORT proj.asgi:app", []string{"5000"}},
		{"split count", "gunicorn --graceful-timeout 45 --preload proj.wsgi", []string{"45"}},
		{"float and bool", "x 1.5 yes on", []string{"1.5", "yes", "on"}},
		{"indicator", "x '*' '&a' -c", []string{"*", "&a"}},
		{"empty word", `x "" z`, []string{""}},
		{"waitress shim", `python -c 'signal=__import__("signal");x' --listen=0.0.0.0:$PORT`, nil},
		{"version-like", "x 1.2.3 v1 -1x", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := HelmUnsafeWords(c.cmd); !reflect.DeepEqual(got, c.want) {
				t.Errorf("HelmUnsafeWords(%q) = %q, want %q", c.cmd, got, c.want)
			}
		})
	}
}

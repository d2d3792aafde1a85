package backend

import (
	"errors"
	"strings"
	"testing"
)

// TestLookupSuggestsOnlyCloseNames: a name far from every backend gets no
// "did you mean" (issue 14: none -> daphne, collectstatic -> celery-beat),
// and every unknown name lists the valid names grouped by kind.
func TestLookupSuggestsOnlyCloseNames(t *testing.T) {
	cases := []struct {
		in, closest string
	}{
		{"none", ""},
		{"collectstatic", ""},
		{"x", ""},
		{"web", ""},
		{"nginx", ""},
		{"apache", ""},
		{"huye", "huey"},
		{"gunicron", "gunicorn"},
		{"uvicron", "uvicorn"},
		{"dapne", "daphne"},
		{"migrations", "migrate"},
		{"granian", "granian-wsgi"},
		{"celerybeat", "celery-beat"},
	}
	for _, c := range cases {
		_, err := Lookup(c.in)
		var u *UnknownError
		if !errors.As(err, &u) {
			t.Fatalf("Lookup(%q): %v, want an *UnknownError", c.in, err)
		}
		if u.Closest != c.closest {
			t.Errorf("Lookup(%q) closest %q, want %q", c.in, u.Closest, c.closest)
		}
		msg := err.Error()
		if suggests := strings.Contains(msg, "did you mean"); suggests != (c.closest != "") {
			t.Errorf("Lookup(%q): %q", c.in, msg)
		}
		for _, group := range []string{"wsgi: gunicorn, waitress", "; asgi: uvicorn", "; worker: celery-worker", "; release: migrate"} {
			if !strings.Contains(msg, group) {
				t.Errorf("Lookup(%q) error %q lacks the group %q", c.in, msg, group)
			}
		}
	}
}

func TestSwapDistance(t *testing.T) {
	tests := []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"", "abc", 3}, {"huye", "huey", 1}, {"gunicron", "gunicorn", 1}, {"kitten", "sitting", 3}, {"none", "daphne", 4},
	}
	for _, tt := range tests {
		if got := swapDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("swapDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

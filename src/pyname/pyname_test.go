package pyname

import "testing"

func TestTarget(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"config.wsgi.application", "config.wsgi:application", true},
		{"mysite.asgi.application", "mysite.asgi:application", true},
		{"config.asgi:app", "config.asgi:app", true},
		{"  proj.wsgi.application\n", "proj.wsgi:application", true},
		{"a.b", "a:b", true},
		{"application", "", false},
		{"config.wsgi.", "", false},
		{".wsgi", "", false},
		{"config wsgi", "", false},
		{"config.wsgi:app.x", "", false},
		{"config.wsgi:", "", false},
		{":app", "", false},
		{"1proj.wsgi.app", "", false},
		{"proj.wsgi:app:x", "", false},
		{"", "", false},
	} {
		got, ok := Target(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("Target(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
		if ok && !IsTarget(got) {
			t.Errorf("Target(%q) = %q, which IsTarget refuses", c.in, got)
		}
	}
}

func TestIsDotted(t *testing.T) {
	for s, want := range map[string]bool{
		"config": true, "config.settings.production": true, "_a.b2": true,
		"": false, "config.": false, ".config": false, "a..b": false, "a-b": false, "2a": false, "a.b c": false, "é": false,
		// project's own copy had these; it now uses IsDotted.
		"mysite": true, "_x.y1": true, ".base": false, "a.": false, "1a.b": false, "a-b.c": false, "a b": false,
	} {
		if got := IsDotted(s); got != want {
			t.Errorf("IsDotted(%q) = %v, want %v", s, got, want)
		}
	}
}

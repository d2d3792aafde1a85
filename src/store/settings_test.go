package store

import "testing"

// TestSettingValues: prodserver:set stores each value in the form the
// deploy uses; the wsgi and asgi targets take Django's dotted form, which
// the README promises, and store module:attr, which every server takes.
func TestSettingValues(t *testing.T) {
	for _, c := range []struct {
		key, in, want string
		ok            bool
	}{
		{"wsgi", "proj.wsgi.application", "proj.wsgi:application", true},
		{"wsgi", "proj.wsgi:application", "proj.wsgi:application", true},
		{"asgi", "config.asgi.application", "config.asgi:application", true},
		{"asgi", "config.asgi:app", "config.asgi:app", true},
		{"wsgi", "application", "", false},
		{"wsgi", "proj.wsgi:", "", false},
		{"wsgi", "proj wsgi", "", false},
		{"wsgi", "proj.wsgi:app.x", "", false},
		{"celery-app", "proj", "proj", true},
		{"celery-app", "proj.celery", "proj.celery", true},
		{"celery-app", "proj.celery:app", "proj.celery:app", true},
		{"celery-app", "-A", "", false},
		{"settings-module", "config.settings.production", "config.settings.production", true},
		{"settings-module", "config..settings", "", false},
		{"release", "migrate-collectstatic", "migrate-collectstatic", true},
		{"release", "collectstatic", "", false},
	} {
		t.Run(c.key+"="+c.in, func(t *testing.T) {
			s, err := LookupSetting(c.key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Validate(c.in)
			if (err == nil) != c.ok || got != c.want {
				t.Errorf("Validate(%q) = %q, %v; want %q, ok=%v", c.in, got, err, c.want, c.ok)
			}
		})
	}
}

// TestResolveNormalises: a value stored before prodserver:set normalised
// it (a dotted wsgi target) resolves to the form the deploy renders.
func TestResolveNormalises(t *testing.T) {
	s, err := LookupSetting("wsgi")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   Resolved
		want Resolved
	}{
		{"app", Resolved{App: "proj.wsgi.application"}, Resolved{App: "proj.wsgi:application", Computed: "proj.wsgi:application"}},
		{"global", Resolved{Global: "proj.wsgi.application"}, Resolved{Global: "proj.wsgi:application", Computed: "proj.wsgi:application"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.resolve("shop", c.in)
			if err != nil || got != c.want {
				t.Errorf("resolve(%+v) = %+v, %v; want %+v", c.in, got, err, c.want)
			}
		})
	}
}

package backend

import (
	"reflect"
	"testing"
)

// gunicornASGIFlags are the flags gunicorn 25.1 adds for its asgi worker
// (gunicorn/config.py at benoitc/gunicorn 25.1.0); the rest are checked
// against Debian's gunicorn --help, which has every other flag rendered.
var gunicornASGIFlags = words("--asgi-loop --asgi-lifespan --asgi-disconnect-grace-period --root-path")

func init() {
	moreFlagChecks = append(moreFlagChecks, flagCheck{
		backend: "gunicorn-asgi", prog: "/usr/bin/gunicorn", help: [][]string{{"gunicorn", "--help"}},
		documented: gunicornASGIFlags, source: "gunicorn/config.py, benoitc/gunicorn 25.1.0",
	})
}

// TestGunicornASGIRender: the native worker is gunicorn's line with
// --worker-class=asgi; threads are not rendered (the worker ignores them)
// and neither is the gthread --worker-connections cap; its own options
// render as flags.
func TestGunicornASGIRender(t *testing.T) {
	b, err := Lookup("gunicorn-asgi")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		c    Context
		want string
	}{
		{"sized", with(root, func(c *Context) { c.Workers, c.Threads = 5, 8 }),
			"gunicorn --bind=0.0.0.0:$PORT --workers=5 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=asgi proj.asgi:application"},
		{"asgi options", with(sub, func(c *Context) {
			c.Options = opts("asgi-loop", "asyncio", "asgi_lifespan", "off", "asgi-disconnect-grace-period", "10")
		}),
			"gunicorn --chdir=src --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=asgi --asgi-loop=asyncio --asgi-lifespan=off --asgi-disconnect-grace-period=10 proj.asgi:application"},
		{"workers option replaces the count", with(root, func(c *Context) { c.Workers, c.Options = 3, opts("workers", 4) }),
			"gunicorn --bind=0.0.0.0:$PORT --workers=4 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=asgi proj.asgi:application"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := b.Render(c.c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, words(c.want)) {
				t.Errorf("\n got %q\nwant %q", got, words(c.want))
			}
		})
	}
	if _, err := b.Render(with(root, func(c *Context) { c.ASGI = "" })); err == nil {
		t.Error("rendered without an ASGI target")
	}
}

// TestGunicornASGIDetection: an ASGI app gets the native worker when its
// declared gunicorn is certainly new enough and no uvicorn is declared.
func TestGunicornASGIDetection(t *testing.T) {
	for _, c := range []struct {
		name string
		pkgs map[string]string
		want string
	}{
		{"gunicorn >= 25.1", map[string]string{"gunicorn": ">=25.1"}, "gunicorn-asgi"},
		{"gunicorn pinned 26", map[string]string{"gunicorn": "==26.1.0"}, "gunicorn-asgi"},
		{"gunicorn compatible 25.1", map[string]string{"gunicorn": "~=25.1"}, "gunicorn-asgi"},
		{"gunicorn unversioned", map[string]string{"gunicorn": ""}, "uvicorn"},
		{"gunicorn 25.0 (beta worker)", map[string]string{"gunicorn": "==25.0.3"}, "uvicorn"},
		{"gunicorn only capped", map[string]string{"gunicorn": "<27"}, "uvicorn"},
		{"and uvicorn", map[string]string{"gunicorn": ">=25.1", "uvicorn": ""}, "gunicorn-uvicorn"},
		{"WSGI is unaffected", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.pkgs == nil {
				if got := ForPackages(KindWSGI, map[string]string{"gunicorn": ">=25.1"}); got != "gunicorn" {
					t.Errorf("WSGI app with gunicorn >= 25.1: %s, want gunicorn", got)
				}
				return
			}
			if got := ForPackages(KindASGI, c.pkgs); got != c.want {
				t.Errorf("ForPackages(asgi, %v) = %s, want %s", c.pkgs, got, c.want)
			}
		})
	}
}

package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAsyncIn: what in a module makes detection choose ASGI for an app
// with ASGI_APPLICATION and an ASGI server declared, and what does not
// (issue 17: an all-sync app served through ASGI serves about half).
func TestAsyncIn(t *testing.T) {
	for _, tc := range []struct {
		name, file, src, want string
	}{
		{"async view", "shop/views.py", "async def page(request):\n    return x\n", "async view page in shop/views.py"},
		{"async method of a class view", "shop/views.py", "class V(View):\n    async def get(self, request):\n        pass\n", "async view get in shop/views.py"},
		{"views package", "shop/views/pages.py", "async def home(r): ...\n", "async view home in shop/views/pages.py"},
		{"consumer", "chat/consumers.py", "from channels.generic.websocket import AsyncWebsocketConsumer\nclass C(AsyncWebsocketConsumer):\n    pass\n", "Channels consumer (AsyncWebsocketConsumer) in chat/consumers.py"},
		{"websocket routing", "chat/routing.py", "websocket_urlpatterns = [re_path(r'ws/', C.as_asgi())]\n", "websocket routing (websocket_urlpatterns) in chat/routing.py"},
		{"asgi.py router", "proj/asgi.py", "application = ProtocolTypeRouter({'websocket': URLRouter(r)})\n", "websocket routing (URLRouter) in proj/asgi.py"},
		{"all sync", "shop/views.py", "def page(request):\n    return x\n", ""},
		{"async in a comment or string", "shop/views.py", "# async def page(request)\nx = 'async def y'\ndef page(r): pass\n", ""},
		{"async def outside views", "shop/utils.py", "async def helper(): pass\n", ""},
		{"consumer only imported", "shop/views.py", "from channels.generic.websocket import WebsocketConsumer\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := asyncIn(tc.file, []byte(tc.src)); got != tc.want {
				t.Errorf("asyncIn = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestScanAllSyncAppIsWSGI scans a project with ASGI_APPLICATION set and
// uvicorn declared: with every view sync it is a WSGI app, with the reason
// among the warnings; one async view makes it an ASGI app.
func TestScanAllSyncAppIsWSGI(t *testing.T) {
	for _, tc := range []struct {
		name, views string
		want        bool
	}{
		{"all sync", "def page(request):\n    pass\n", false},
		{"one async view", "def page(request):\n    pass\n\nasync def feed(request):\n    pass\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{
				"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
				"proj/__init__.py": "",
				"proj/settings.py": "WSGI_APPLICATION = 'proj.wsgi.application'\nASGI_APPLICATION = 'proj.asgi.application'\n",
				"proj/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
				"proj/asgi.py":     "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n",
				"shop/__init__.py": "",
				"shop/views.py":    tc.views,
				"requirements.txt": "django\ngunicorn\nuvicorn\n",
			}
			for name, body := range files {
				p := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, err := Scan(root, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f.NeedsASGI != tc.want {
				t.Fatalf("NeedsASGI = %v (%s), want %v", f.NeedsASGI, f.ASGIReason, tc.want)
			}
			shown := strings.Contains(strings.Join(f.Warnings, "\n"), "every view is sync")
			if shown == tc.want {
				t.Errorf("reason among warnings = %v, want %v: %q", shown, !tc.want, f.Warnings)
			}
		})
	}
}

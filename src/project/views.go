package project

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// consumerBases are Channels' consumer classes: a module subclassing one
// serves websockets or other non-HTTP protocols, which only ASGI carries.
var consumerBases = []string{
	"AsyncWebsocketConsumer", "WebsocketConsumer", "AsyncJsonWebsocketConsumer",
	"JsonWebsocketConsumer", "AsyncConsumer", "SyncConsumer", "AsyncHttpConsumer",
}

// asyncCode looks through the app's view and routing modules for code that
// only an ASGI server serves as written: an `async def` in a views.py,
// a views/ package or an api.py (async views, or async methods of class
// views), a Channels consumer, or websocket routing (URLRouter,
// websocket_urlpatterns) in routing.py or asgi.py. It returns where it
// found the first, "" when every view is sync. Why: an app whose views
// are all sync serves measurably less behind gunicorn + uvicorn workers
// than behind gthread (docs/benchmarks.md), so ASGI_APPLICATION alone is
// no reason to pick an ASGI server. Only modules the bounded walk has seen
// are read, each once.
func (s *scanner) asyncCode() string {
	s.t.ensureDepth(MaxDepth)
	var files []string
	for _, name := range []string{"views.py", "api.py", "consumers.py", "routing.py", "asgi.py"} {
		for _, e := range s.t.named(name) {
			if !e.dir {
				files = append(files, e.rel)
			}
		}
	}
	for _, e := range s.t.named("views") {
		if !e.dir {
			continue
		}
		for _, f := range s.t.files(e.rel) {
			if strings.HasSuffix(f, ".py") {
				files = append(files, joinRel(e.rel, f))
			}
		}
	}
	for _, f := range files {
		src, err := s.t.read(f, maxSourceBytes)
		if err != nil {
			continue
		}
		if why := asyncIn(f, src); why != "" {
			return why
		}
	}
	return ""
}

// asyncIn says what in the module file (source src) needs ASGI, "" when
// nothing does. Views modules count for `async def`; any of them for a
// consumer class or websocket routing.
func asyncIn(file string, src []byte) string {
	base := file[strings.LastIndex(file, "/")+1:]
	isView := base == "views.py" || base == "api.py" || strings.Contains("/"+file, "/views/")
	toks := tokenize(src)
	for i, t := range toks {
		if t.Kind != pyliteral.Name {
			continue
		}
		switch {
		case isView && t.Text == "async" && i+2 < len(toks) && toks[i+1].Text == "def" && toks[i+2].Kind == pyliteral.Name:
			return "async view " + toks[i+2].Text + " in " + file
		case t.Text == "websocket_urlpatterns" || t.Text == "URLRouter":
			return "websocket routing (" + t.Text + ") in " + file
		}
		for _, c := range consumerBases {
			if t.Text == c && i > 0 && (toks[i-1].Text == "(" || toks[i-1].Text == "." || toks[i-1].Text == ",") {
				return "Channels consumer (" + c + ") in " + file
			}
		}
	}
	return ""
}

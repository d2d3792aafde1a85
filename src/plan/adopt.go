package plan

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/adopt"
	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// adoptLines adopts, in auto mode, each Procfile line no source manages
// that starts a catalogued server or worker (`web: gunicorn mysite.wsgi`):
// it is rendered by its backend with the user's flags as options, so they
// win, and gets what it lacks ($PORT, sized concurrency, the defaults).
// The deploy says so, before and after. A line package adopt cannot read
// is kept byte for byte, with a warning naming why; the adopt setting
// (Operator.Verbatim) keeps every line as written.
func (plan *Plan) adoptLines(in Inputs, pf *procfile.File, managed map[string]Process, order *[]string, failed map[string][]string) {
	if in.Operator.Verbatim || (in.Operator.Enabled != "auto" && in.Operator.Enabled != "") {
		return
	}
	for _, name := range pf.Names() {
		if _, done := managed[name]; done || len(failed[name]) > 0 {
			continue
		}
		cmd, _ := pf.Get(name)
		line, err := adopt.Parse(cmd)
		if err != nil {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: %v; it gets none of prodserver's production defaults (or set it with prodserver:backend)", name, err))
			continue
		}
		if line == nil {
			continue
		}
		b, err := backend.Lookup(line.Backend)
		if err != nil || b.Web != (name == "web") {
			// A web server on another process gets no traffic from Dokku,
			// and a worker on web fails its checks: not ours to fix.
			continue
		}
		opts := line.Options
		if b.Web {
			var dropped []backend.Option
			opts, dropped = splitAddressOptions(opts)
			for _, o := range dropped {
				v := fmt.Sprint(o.Value)
				if l, ok := o.Value.([]string); ok {
					v = strings.Join(l, " ")
				}
				if v != "0.0.0.0" && !strings.HasSuffix(v, procfile.PortVar) {
					plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: the Procfile's %s %s dropped: Dokku routes the web process to 0.0.0.0:$PORT", name, keyText(o.Key), v))
				}
			}
		}
		c := candidate{cfg: ProcConfig{Name: name, Backend: b.Name, Options: opts, Args: in.Operator.Args[name]}, source: SourceProcfile, adopted: line}
		p, err := render(in, c)
		if err != nil {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: cannot adopt the Procfile's %s line (%v); keeping it as written", name, b.Program, err))
			continue
		}
		p.Adopted = cmd
		if p.Command != cmd {
			plan.Notices = append(plan.Notices, fmt.Sprintf("%s: adopted the Procfile's %s line (prodserver:set <app> adopt false keeps it as written)\n  before: %s\n  after:  %s", name, b.Name, cmd, p.Command))
		}
		managed[name] = p
		*order = append(*order, name)
		plan.checkPackages(in, p)
		plan.checkEnv(in, p)
	}
}

// splitAddressOptions is withoutAddressOptions keeping the dropped values,
// so a line that already binds $PORT is adopted without a warning.
func splitAddressOptions(opts []backend.Option) (kept, dropped []backend.Option) {
	for _, o := range opts {
		if webAddressOptions[o.Key] {
			dropped = append(dropped, o)
			continue
		}
		kept = append(kept, o)
	}
	return kept, dropped
}

// adoptContext points the render at what the user's line ran: its own
// application and import folder, not detection's (the line worked as
// written, from the source root unless its own flag said otherwise).
func adoptContext(ctx *backend.Context, b *backend.Backend, l *adopt.Line) {
	ctx.ProjectDir, ctx.ManagePy = l.ProjectDir, ""
	switch b.Kind {
	case backend.KindWSGI:
		ctx.WSGI = l.Target
	case backend.KindASGI:
		ctx.ASGI = l.Target
	}
	if l.CeleryApp != "" {
		ctx.CeleryApp = l.CeleryApp
	}
}

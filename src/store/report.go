package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// reportItems lists an app's report lines: for every setting its app,
// global and computed values, then the operator's per-process choices.
func reportItems(app string) ([]dokku.ReportItem, error) {
	all, err := ResolveAll(app)
	if err != nil {
		return nil, err
	}
	last := readLastDeploy(app)
	detected := last.detected()
	var items []dokku.ReportItem
	for _, s := range Settings {
		r := all[s.Key]
		if v, ok := detected[s.Key]; ok && r.App == "" && r.Global == "" {
			r.Computed = v // what the last deploy found is what is in effect
		}
		items = append(items,
			dokku.ReportItem{Flag: "--prodserver-computed-" + s.Key, Value: r.Computed},
			dokku.ReportItem{Flag: "--prodserver-global-" + s.Key, Value: r.Global},
			dokku.ReportItem{Flag: "--prodserver-" + s.Key, Value: r.App},
		)
	}
	choices, err := operatorBackends(app)
	if err != nil {
		return nil, err
	}
	items = append(items, dokku.ReportItem{Flag: "--prodserver-backends", Value: choices})
	// The scheduler Dokku will deploy the app with (scheduler:set).
	sched, _, _ := dokku.Scheduler(app)
	items = append(items, dokku.ReportItem{Flag: "--prodserver-scheduler", Value: sched})
	// The process types prodserver added to checks:disable (singletons
	// stopped before their new container starts on docker-local).
	claims, _ := dokku.ReadLines(StopFirstPath(app))
	items = append(items, dokku.ReportItem{Flag: "--prodserver-checks-disabled", Value: strings.Join(claims, ",")})
	items = append(items, dokku.ReportItem{Flag: "--prodserver-detected-processes", Value: last.processes()})
	sort.SliceStable(items, func(i, j int) bool { return items[i].Flag < items[j].Flag })
	return items, nil
}

// lastDeploy is what the report reads of the last managed deploy's
// record (package deploy writes it; only these fields are decoded, so the
// report links none of the deploy code).
type lastDeploy struct {
	Facts *struct {
		ManagePy       string `json:"ManagePy"`
		Settings       string `json:"Settings"`
		SettingsSource string `json:"SettingsSource"`
		WSGI           string `json:"WSGI"`
		ASGI           string `json:"ASGI"`
		CeleryApp      string `json:"CeleryApp"`
	} `json:"facts"`
	Plan *struct {
		Processes []struct {
			Name    string `json:"name"`
			Backend string `json:"backend"`
			Source  string `json:"source"`
		} `json:"processes"`
	} `json:"plan"`
}

// readLastDeploy reads the app's deploy record; an absent or unreadable
// one reads as empty (the report then shows the properties alone).
func readLastDeploy(app string) *lastDeploy {
	var last lastDeploy
	b, err := safefile.Read(CurrentRecordPath(app), dokku.MaxStateFile)
	if err == nil && len(b) > 0 {
		_ = json.Unmarshal(b, &last)
	}
	return &last
}

// detected maps setting keys to the value the last deploy detected for
// them, for the settings the operator left unset.
func (l *lastDeploy) detected() map[string]string {
	out := map[string]string{}
	f := l.Facts
	if f == nil {
		return out
	}
	if f.ManagePy != "" {
		dir := "."
		if i := strings.LastIndex(f.ManagePy, "/"); i >= 0 {
			dir = f.ManagePy[:i]
		}
		out["app-dir"] = dir
	}
	settings := f.Settings
	if f.SettingsSource == "option" {
		// The app's DJANGO_SETTINGS_MODULE config (or the image's ENV):
		// a config value, which prodserver never prints.
		settings = ""
	}
	for k, v := range map[string]string{"settings-module": settings, "wsgi": f.WSGI, "asgi": f.ASGI, "celery-app": f.CeleryApp} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// processes is the last deploy's process set as "name=backend" words
// ("name=Procfile" for a line it kept), in the Procfile's order.
func (l *lastDeploy) processes() string {
	if l.Plan == nil {
		return ""
	}
	var words []string
	for _, p := range l.Plan.Processes {
		b := p.Backend
		if b == "" {
			b = p.Source
		}
		words = append(words, p.Name+"="+strings.ReplaceAll(b, " ", "-"))
	}
	return strings.Join(words, " ")
}

// operatorBackends summarises the backends chosen with prodserver:backend as
// "proc=backend" words in process order.
func operatorBackends(app string) (string, error) {
	keys, err := dokku.PropertyKeys(app)
	if err != nil {
		return "", err
	}
	var words []string
	for _, k := range keys {
		proc, ok := strings.CutPrefix(k, BackendKeyPrefix)
		if !ok {
			continue
		}
		v, err := dokku.PropertyGet(app, k)
		if err != nil {
			return "", err
		}
		words = append(words, proc+"="+v)
	}
	return strings.Join(words, " "), nil
}

// BackendKeyPrefix and ArgsKeyPrefix name the per-process properties:
// backend.<proc> holds the operator's backend, args.<proc> a list of words.
const (
	BackendKeyPrefix = "backend."
	ArgsKeyPrefix    = "args."
)

// CommandReport implements `prodserver:report [<app>] [--format F] [--prodserver-KEY]`
// and the `report` trigger. With no app it reports every app.
func CommandReport(app, format, infoFlag string) error {
	if app == "" {
		apps, err := dokku.Apps()
		if err != nil {
			return err
		}
		if len(apps) == 0 {
			dokku.LogWarn("You haven't deployed any applications yet")
			return nil
		}
		for _, a := range apps {
			if err := CommandReport(a, format, infoFlag); err != nil {
				return err
			}
		}
		return nil
	}
	if err := dokku.VerifyApp(app); err != nil {
		return err
	}
	items, err := reportItems(app)
	if err != nil {
		return err
	}
	out, err := dokku.FormatReport(app, format, infoFlag, items)
	if err != nil {
		return err
	}
	fmt.Fprint(dokku.Stdout, dokku.Escape(out))
	return nil
}

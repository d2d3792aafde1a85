package store

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
)

// reportItems lists an app's report lines: for every setting its app,
// global and computed values, then the operator's per-process choices.
func reportItems(app string) ([]dokku.ReportItem, error) {
	all, err := ResolveAll(app)
	if err != nil {
		return nil, err
	}
	var items []dokku.ReportItem
	for _, s := range Settings {
		r := all[s.Key]
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
	sort.SliceStable(items, func(i, j int) bool { return items[i].Flag < items[j].Flag })
	return items, nil
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

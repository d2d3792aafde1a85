package deploy

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku/plugn"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// scaledFile lists (one per line) the processes prodserver has already given
// their first scale, so it never touches them again: after that the scale is
// the operator's.
const scaledFile = "scaled"

// repairedKey marks, per app, that the can-scale repair has run: it runs at
// most once, so it never fights app-json over a formation added later.
const repairedKey = "can-scale-repaired"

// repairCanScale undoes what prodserver 0.1.0 did to every app it
// deployed: it called `ps-can-scale APP` to read the value, but in Dokku
// that trigger writes it (plugins/ps/triggers.go TriggerPsCanScale), false
// when no value is given, so `ps:scale` was refused ever after. An app whose
// can-scale is false while app.json has no formation quantity gets it back
// through the same trigger Dokku's app-json uses, once, and the deploy (or
// install) says so. It reports whether it wrote.
func repairCanScale(app string, formation bool) bool {
	if done, _ := dokku.PropertyGet(app, repairedKey); done != "" {
		return false
	}
	can, err := dokku.CanScale(app)
	if err != nil {
		return false
	}
	if !can && !formation {
		if _, err := plugn.Trigger("ps-can-scale", app, "true"); err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: could not re-enable ps:scale for %s (%v); run: dokku ps:scale %s to check", app, err, app))
			return false
		}
		dokku.LogInfo1(fmt.Sprintf("prodserver: re-enabled ps:scale for %s (an earlier prodserver had turned it off; app.json has no formation)", app))
	}
	if err := dokku.PropertyWrite(app, repairedKey, "true"); err != nil {
		dokku.LogWarn("prodserver: " + err.Error())
	}
	return !can && !formation
}

// RepairScaleAll runs the can-scale repair for every app prodserver has
// deployed; install and update start it when store.NeedsScaleRepair finds
// one. app.json's formation is read from app-json's kept copy
// ($DOKKU_LIB_ROOT/data/app-json/APP/app.json, plugins/app-json/functions.go
// getAppJSONPath).
func RepairScaleAll() error {
	for _, app := range store.ScaleRepairCandidates() {
		b, _ := safefile.Read(filepath.Join(dokku.LibRoot(), "data", "app-json", app, "app.json"), store.MaxAppJSON)
		repairCanScale(app, plan.HasFormation(b))
	}
	return nil
}

// TriggerPostReleaseBuilder sets the scale of the processes this deploy
// manages, through ps-set-scale: a managed worker or scheduler gets its
// first scale (1, or what app.json asks) the first time it appears, a scale
// the operator set is never overridden, an adopted Procfile line keeps the
// user's scale, and singletons (celery beat) are held at 1. With an app.json formation (app-json then sets can-scale false
// and the scale itself) it changes nothing and only warns.
func TriggerPostReleaseBuilder(app string) error {
	if dokku.ValidateAppName(app) != nil {
		return nil
	}
	rec, err := LoadRecord(app)
	if err != nil {
		dokku.LogWarn("prodserver: " + err.Error())
		return nil
	}
	if cur, ok := thisDeploy(rec); ok {
		stopSingletonsFirst(app, cur)
	}
	if rec == nil || rec.Plan == nil || rec.PID != os.Getenv("DOKKU_PID") {
		return nil
	}
	current, err := CurrentScale(app)
	if err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v; not scaling", err))
		return nil
	}
	repairCanScale(app, rec.Formation)
	canScale, err := dokku.CanScale(app)
	if err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v; not scaling", err))
		return nil
	}
	if !canScale || rec.Formation {
		for _, p := range rec.Plan.Processes {
			if p.Managed && p.Scale > 0 && p.Scale != current[p.Name] {
				dokku.LogWarn(fmt.Sprintf("prodserver: %s: the scale %d prodserver's config asks for is not applied: app.json's formation sets the scale (%d); change it there", p.Name, p.Scale, current[p.Name]))
			}
			if rec.Formation && p.Managed && p.Name != "web" && p.Kind != "release" && p.Name != "release" && !p.Config.ScaleZero && current[p.Name] == 0 && !rec.Autoscaled(p.Name) {
				dokku.LogWarn(fmt.Sprintf("prodserver: %s (%s) is managed but app.json's formation does not scale it, so it does not run; add \"%s\": {\"quantity\": 1} to the formation", p.Name, p.Backend, p.Name))
			}
			if p.Managed && p.Singleton && current[p.Name] > 1 {
				dokku.LogWarn(fmt.Sprintf("prodserver: %s (%s) must run exactly once, but app.json's formation scales it to %d", p.Name, p.Backend, current[p.Name]))
			}
		}
		return nil
	}
	done, err := dokku.ReadLines(filepath.Join(dokku.DataDir(app), scaledFile))
	if err != nil {
		dokku.LogWarn("prodserver: " + err.Error())
		return nil
	}
	seen := map[string]bool{}
	for _, n := range done {
		seen[n] = true
	}
	var pairs []string
	for _, p := range rec.Plan.Processes {
		if !p.Managed || p.Name == "web" || p.Kind == "release" || p.Name == "release" {
			continue
		}
		if rec.Autoscaled(p.Name) {
			// KEDA sets its replicas; a ps-set-scale would fight it.
			dokku.LogVerboseQuiet(fmt.Sprintf("%s: autoscaled by app.json's formation (KEDA); prodserver leaves its scale alone", p.Name))
			continue
		}
		n, has := current[p.Name]
		switch {
		case p.Singleton && n > 1:
			dokku.LogWarn(fmt.Sprintf("prodserver: %s (%s) must run exactly once (more would run every scheduled task several times); scaling it from %d to 1", p.Name, p.Backend, n))
			pairs = append(pairs, p.Name+"=1")
		case seen[p.Name]:
		case p.Adopted != "":
			// The user's own Procfile line, adopted: prodserver rewrote its
			// command, not the formation; whether it runs stays ps:scale's.
		case has && n > 0:
			// The operator (or app.json) already scaled it.
		case p.Config.ScaleZero:
			// app.json's "scale": 0: declared, left at 0 until ps:scale.
		default:
			want := p.Scale
			if want <= 0 {
				want = 1
			}
			if p.Singleton {
				want = 1
			}
			pairs = append(pairs, fmt.Sprintf("%s=%d", p.Name, want))
		}
		if !seen[p.Name] && p.Adopted == "" {
			seen[p.Name] = true
			done = append(done, p.Name)
		}
	}
	if len(pairs) > 0 {
		dokku.LogInfo1Quiet("Scaling managed processes (prodserver): " + strings.Join(pairs, " "))
		if _, err := plugn.Trigger("ps-set-scale", append([]string{app, "true", "false"}, pairs...)...); err != nil {
			return fmt.Errorf("prodserver: %w", err)
		}
	}
	return dokku.WriteLines(filepath.Join(dokku.DataDir(app), scaledFile), done)
}

// CurrentScale parses ps-current-scale's "proc=N" lines.
func CurrentScale(app string) (map[string]int, error) {
	out, err := plugn.Trigger("ps-current-scale", app)
	if err != nil {
		return nil, err
	}
	scale := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, n, ok := strings.Cut(line, "=")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("ps-current-scale printed %q, not proc=N", line)
		}
		scale[name] = v
	}
	return scale, nil
}

// TriggerDockerArgsProcessDeploy passes on the docker args it receives on
// stdin, as a stream and whole (other plugins' args are theirs: cutting
// them at any size would break every app's deploy), and adds --stop-signal for a managed process whose server stops
// gracefully on a signal other than TERM (huey: INT), so a deploy does not
// kill running tasks.
func TriggerDockerArgsProcessDeploy(app, proc string) error {
	if st, err := os.Stdin.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
		io.Copy(os.Stdout, os.Stdin)
	}
	if dokku.ValidateAppName(app) != nil {
		return nil
	}
	rec, err := LoadRecord(app)
	if err != nil || rec == nil || rec.Plan == nil {
		return nil
	}
	p := rec.Plan.Process(proc)
	if p == nil || !p.Managed || p.StopSignal == "" || p.StopSignal == "SIGTERM" {
		return nil
	}
	fmt.Fprintf(dokku.Stdout, " --stop-signal=%s", p.StopSignal)
	return nil
}

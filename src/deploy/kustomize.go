package deploy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// kustomizationNames are the files kustomize takes as a Kustomization, in
// its order (sigs.k8s.io/kustomize/api/konfig
// RecognizedKustomizationFileNames, which scheduler-k3s's renderer uses).
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomizeRoot is scheduler-k3s's computed kustomize-root-path: the app's
// property, else the global one, else config/kustomize
// (plugins/scheduler-k3s/functions.go getComputedKustomizeRootPath).
func kustomizeRoot(app string) (string, error) {
	for _, scope := range []string{app, dokku.GlobalApp} {
		v, err := dokku.PluginProperty("scheduler-k3s", scope, "kustomize-root-path", "")
		if err != nil {
			return "", err
		}
		if v = strings.TrimSpace(v); v != "" {
			return v, nil
		}
	}
	return "config/kustomize", nil
}

// recreateSingletons makes a k3s deploy replace, not roll, its singleton
// processes: it writes the Kustomization plan.Kustomization renders into
// the source tree's kustomize root, which scheduler-k3s's core-post-extract
// (running after prodserver's: plugn goes in plugin-name order) copies for
// the chart. A Kustomization of the user's is never changed: the deploy
// warns with the patch to add, unless the file already has it. It returns
// the warnings; it writes nothing for another scheduler or no singleton.
func recreateSingletons(app, workDir, scheduler string, pl *plan.Plan) []string {
	procs := pl.Singletons()
	if scheduler != "k3s" || len(procs) == 0 {
		return nil
	}
	root, err := kustomizeRoot(app)
	if err != nil {
		return []string{fmt.Sprintf("%v; singletons (%s) are rolled, so each runs twice during a deploy", err, strings.Join(procs, ", "))}
	}
	dir, err := safefile.Inside(workDir, root)
	if err != nil {
		return []string{fmt.Sprintf("scheduler-k3s's kustomize-root-path %s %v; singletons (%s) are rolled, so each runs twice during a deploy; fix it with dokku scheduler-k3s:set %s kustomize-root-path", dokku.Printable(root), err, strings.Join(procs, ", "), app)}
	}
	for _, name := range kustomizationNames {
		b, err := safefile.Read(filepath.Join(dir, name), MaxProcfile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return []string{fmt.Sprintf("%s/%s %v; singletons are rolled", root, name, err)}
		}
		if strings.HasPrefix(string(b), plan.KustomizeMarker) {
			break // prodserver's own, from an earlier run on this tree
		}
		var warns []string
		for _, proc := range procs {
			if !plan.HasRecreate(b, app, proc) {
				warns = append(warns, fmt.Sprintf("%s runs twice during a scheduler-k3s rolling update (old and new pods overlap); your %s/%s is left as it is: add this entry to its patches: list\n%s", proc, root, name, plan.RecreatePatch(app, proc)))
			}
		}
		return warns
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return []string{fmt.Sprintf("creating %s: %v; singletons are rolled", root, err)}
	}
	path := filepath.Join(dir, kustomizationNames[0])
	if err := dokku.WriteFileAtomic(path, plan.Kustomization(app, procs), 0o644); err != nil {
		return []string{fmt.Sprintf("%v; singletons are rolled", err)}
	}
	dokku.LogVerboseQuiet(fmt.Sprintf("scheduler-k3s: %s/%s sets strategy Recreate for %s (never two at once)", root, kustomizationNames[0], strings.Join(procs, ", ")))
	return nil
}

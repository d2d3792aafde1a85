// Command triggers is the one binary behind every trigger symlink at the
// plugin root: plugn runs the symlink named after the trigger, so the name
// comes from argv[0] (`triggers NAME ARGS...` works too, for the install
// script and for humans).
//
// It runs inside every deploy of every app on the host, so it is kept small
// (packages dokku and state only) and answers alone whatever needs no
// detection: the lifecycle triggers, report, and "nothing to do" for the
// deploy triggers. When a deploy trigger has work, it execs libexec/deploy,
// which carries detection and rendering.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// triggers answers each trigger of store.Triggers here, handing the
// deploy triggers to libexec/deploy only when there is work.
var triggers = map[string]func(args []string) error{
	"install": func([]string) error { return install() },
	"update":  func([]string) error { return install() },
	"uninstall": func(a []string) error {
		// Fired at every plugin with the name being uninstalled.
		self, err := os.Executable()
		if err != nil || a[0] != filepath.Base(filepath.Dir(self)) {
			return nil
		}
		return store.TriggerUninstall()
	},
	"post-delete":           func(a []string) error { return store.TriggerPostDelete(a[0]) },
	"post-app-rename-setup": func(a []string) error { return store.TriggerPostAppRenameSetup(a[0], a[1]) },
	"post-app-clone-setup":  func(a []string) error { return store.TriggerPostAppCloneSetup(a[0], a[1]) },
	"report":                func(a []string) error { return store.TriggerReport(a[0]) },
	"core-post-deploy":      func(a []string) error { return store.PromoteDeploy(a[0]) },
	"core-post-extract": func(a []string) error {
		if !store.Active(a[0], a[1]) {
			store.ForgetDeploy(a[0])
			return nil
		}
		if err := checkName(); err != nil {
			return err
		}
		return deploy("core-post-extract", a)
	},
	"post-release-builder": func(a []string) error {
		if !store.HasDeployRecord(a[1]) && !store.HasStopFirstClaim(a[1]) {
			return nil
		}
		return deploy("post-release-builder", a)
	},
	"docker-args-process-deploy": func(a []string) error {
		if !store.HasDeployRecord(a[0]) {
			// Pass on what earlier plugins' args arrived on stdin, whole.
			if st, err := os.Stdin.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
				io.Copy(os.Stdout, os.Stdin)
			}
			return nil
		}
		return deploy("docker-args-process-deploy", a)
	},
}

// install lays out prodserver's folders, then starts the one-time repair
// of ps:scale (deploy.RepairScaleAll) when an app needs it.
func install() error {
	if err := checkName(); err != nil {
		return err
	}
	if err := store.TriggerInstall(); err != nil {
		return err
	}
	if len(store.ScaleRepairCandidates()) > 0 {
		return deploy("repair-can-scale", nil)
	}
	return nil
}

// checkName runs store.CheckInstallName on the folder this binary lives in
// (os.Executable resolves the enabled/ symlink to available/<name>).
func checkName() error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the plugin folder: %w", err)
	}
	return store.CheckInstallName(filepath.Dir(self))
}

// deploy replaces this process with libexec/deploy for the trigger.
func deploy(name string, args []string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the plugin folder: %w", err)
	}
	bin := filepath.Join(filepath.Dir(self), "libexec", "deploy")
	if err := syscall.Exec(bin, append([]string{name}, args...), os.Environ()); err != nil {
		return fmt.Errorf("starting %s: %w", bin, err)
	}
	return nil
}

func main() {
	name, args := filepath.Base(os.Args[0]), os.Args[1:]
	if name == "triggers" && len(args) == 1 && args[0] == "--names" {
		for _, t := range store.Triggers {
			fmt.Println(t.Name)
		}
		return
	}
	if name == "triggers" && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	t, ok := store.LookupTrigger(name)
	run := triggers[name]
	if !ok || run == nil {
		dokku.LogFail(fmt.Sprintf("prodserver does not implement trigger %s", dokku.Printable(name)))
		os.Exit(1)
	}
	if len(args) < t.MinArgs {
		dokku.LogFail(fmt.Sprintf("trigger %s needs %d arguments, got %d", name, t.MinArgs, len(args)))
		os.Exit(1)
	}
	if err := run(args); err != nil {
		dokku.LogFail(err.Error())
		os.Exit(1)
	}
}

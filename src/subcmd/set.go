package subcmd

import (
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// CommandSet implements `prodserver:set [--global] <app> <key> [<value>]`.
// With --global the app word is absent. An empty value unsets the key.
func CommandSet(global bool, args []string) error {
	app := dokku.GlobalApp
	if !global {
		var err error
		if app, args, err = appArg(args); err != nil {
			return err
		}
	}
	if len(args) == 0 {
		return fmt.Errorf("Please specify a key to set, valid keys: %s", settingKeys())
	}
	if len(args) > 2 {
		return fmt.Errorf("Too many arguments: expected <key> [<value>], got %d words", len(args))
	}
	s, err := store.LookupSetting(args[0])
	if err != nil {
		if len(args) == 2 {
			if swapped, serr := store.LookupSetting(args[1]); serr == nil {
				// `set myapp 4 workers`: the value came first.
				return fmt.Errorf("Wrong argument order: the key comes before the value; did you mean: dokku prodserver:set %s %s %s", setTarget(global, app), swapped.Key, dokku.Printable(args[0]))
			}
		}
		return err
	}
	value := ""
	if len(args) == 2 {
		value = args[1]
	}
	if value == "" {
		if err := dokku.PropertyDelete(app, s.Key); err != nil {
			return err
		}
		dokku.LogInfo2Quiet(fmt.Sprintf("Unsetting %s", s.Key))
		dokku.LogVerboseQuiet(appliesNext(global, app))
		return nil
	}
	if err := checkText(value); err != nil {
		return fmt.Errorf("Invalid value for %s: %w", s.Key, err)
	}
	v, err := s.Validate(value)
	if err != nil {
		return fmt.Errorf("Invalid value for %s: %s %v", s.Key, dokku.Printable(value), err)
	}
	if err := dokku.PropertyWrite(app, s.Key, v); err != nil {
		return err
	}
	dokku.LogInfo2Quiet(fmt.Sprintf("Setting %s to %s", s.Key, v))
	dokku.LogVerboseQuiet(appliesNext(global, app))
	return nil
}

// appliesNext says when a stored setting takes effect: set, unlike
// prodserver:backend, does not rebuild, so the operator is told how to
// apply it now.
func appliesNext(global bool, app string) string {
	if global {
		return "Applies to each app at its next deploy"
	}
	return "Applies at the next deploy; run `dokku ps:rebuild " + app + "` to apply it now"
}

// setTarget is the words before the key in a corrected command line.
func setTarget(global bool, app string) string {
	if global {
		return "--global"
	}
	return app
}

func settingKeys() string {
	keys := make([]string, len(store.Settings))
	for i, s := range store.Settings {
		keys[i] = s.Key
	}
	return strings.Join(keys, ", ")
}

// checkText rejects control characters before any other validation, so no
// error message or stored file can carry a newline or escape sequence.
// Control means unicode.IsControl (C0, DEL and C1), the one definition the
// renderer and the Procfile writer use too.
func checkText(v string) error {
	for _, r := range v {
		if unicode.IsControl(r) {
			return fmt.Errorf("control characters (newline, NUL, escape...) are not allowed")
		}
	}
	return nil
}

// appArg takes the app name from the first word and checks the app exists.
// `dokku --app X prodserver:cmd ...` does not re-insert the app word for
// community plugins but sets DOKKU_APP_NAME: when that is set and the first
// word is not that app, the words are taken as following the app.
func appArg(args []string) (string, []string, error) {
	app := ""
	env := EnvAppName()
	switch {
	case env != "" && (len(args) == 0 || args[0] != env):
		app = env
	case len(args) > 0:
		app, args = args[0], args[1:]
	}
	if err := dokku.VerifyApp(app); err != nil {
		return "", nil, err
	}
	return app, args, nil
}

// EnvAppName is DOKKU_APP_NAME, which `dokku --app X` sets.
func EnvAppName() string { return os.Getenv("DOKKU_APP_NAME") }

package dokku

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidateAppName applies Dokku's IsValidAppName rule (^[a-z0-9][a-z0-9.-]*$).
// Every path prodserver builds from an app name goes through it first, so a
// name can never climb out of Dokku's folders.
func ValidateAppName(app string) error {
	if app == "" {
		return errors.New("Please specify an app to run the command on")
	}
	if !validAppName(app) {
		return fmt.Errorf("App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens (got %s)", printable(app))
	}
	return nil
}

func validAppName(app string) bool {
	if app == "" || len(app) > 200 {
		return false
	}
	for i := 0; i < len(app); i++ {
		c := app[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '.' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// VerifyApp checks the name and that the app exists as $DOKKU_ROOT/<app>,
// with Dokku's own wording so operators see familiar errors.
func VerifyApp(app string) error {
	if err := ValidateAppName(app); err != nil {
		return err
	}
	fi, err := os.Stat(filepath.Join(Root(), app))
	if err != nil || !fi.IsDir() {
		return &ExitError{Code: AppDoesNotExistExit, Err: fmt.Errorf("App %s does not exist", app)}
	}
	return nil
}

// AppDoesNotExistExit is the exit code Dokku's VerifyAppName gives a missing app.
const AppDoesNotExistExit = 20

// ExitError is an error that asks for a specific exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode is the code a command should exit with for err (1 by default).
func ExitCode(err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}

// Apps lists the apps on this host: the folders of DOKKU_ROOT whose names are
// valid app names, sorted.
func Apps() ([]string, error) {
	entries, err := os.ReadDir(Root())
	if err != nil {
		return nil, fmt.Errorf("reading apps from %s: %w", Root(), err)
	}
	var apps []string
	for _, e := range entries {
		if e.IsDir() && validAppName(e.Name()) && e.Name() != "tls" {
			apps = append(apps, e.Name())
		}
	}
	sort.Strings(apps)
	return apps, nil
}

// IsDeployed reports whether the app has been deployed at least once: the
// common plugin's "deployed" property, which its core-post-deploy sets to
// "true" (Dokku's common.IsDeployed reads the same property first).
func IsDeployed(app string) bool {
	v, err := PluginProperty("common", app, "deployed", "")
	return err == nil && strings.TrimSpace(v) == "true"
}

// printable quotes a user-supplied word for an error line so that newlines,
// control characters and empty strings are visible and cannot forge output.
func printable(s string) string {
	for _, r := range s {
		if unicode.IsControl(r) || r == '"' || r == '\\' || r == utf8.RuneError || unicode.Is(unicode.Bidi_Control, r) {
			return fmt.Sprintf("%q", s)
		}
	}
	return s
}

// Printable is printable for other packages' error messages.
func Printable(s string) string { return printable(s) }

// Package plugn calls other plugins' triggers the way Dokku's plugins do,
// through `plugn trigger`. It is apart from package dokku so the small
// triggers binary does not link os/exec.
package plugn

import (
	"bytes"
	"fmt"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"os"
	"os/exec"
)

// Trigger runs `plugn trigger NAME ARGS...` the way Dokku's plugins call
// each other, returning the combined stdout of every plugin implementing it.
// stderr passes through so their warnings reach the operator.
func Trigger(name string, args ...string) (string, error) {
	cmd := exec.Command(plugnBin(), append([]string{"trigger", name}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = dokku.Stderr
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("trigger %s failed: %w", name, err)
	}
	return out.String(), nil
}

func plugnBin() string {
	if p := os.Getenv("PLUGN_BIN"); p != "" {
		return p
	}
	return "plugn"
}

// TriggerStream runs a trigger with its output going straight to the
// operator (a rebuild streams its build log).
func TriggerStream(name string, args ...string) error {
	cmd := exec.Command(plugnBin(), append([]string{"trigger", name}, args...)...)
	cmd.Stdout, cmd.Stderr = dokku.Stdout, dokku.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("trigger %s failed: %w", name, err)
	}
	return nil
}

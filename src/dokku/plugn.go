package dokku

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// PlugnTrigger runs `plugn trigger NAME ARGS...` the way Dokku's plugins call
// each other, returning the combined stdout of every plugin implementing it.
// stderr passes through so their warnings reach the operator.
func PlugnTrigger(name string, args ...string) (string, error) {
	cmd := exec.Command(plugnBin(), append([]string{"trigger", name}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = Stderr
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("trigger %s failed: %w", name, err)
	}
	return out.String(), nil
}

// PlugnTriggerLine is PlugnTrigger trimmed to its output's last line, for
// triggers that answer with one value (ps-get-property, config-get...).
func PlugnTriggerLine(name string, args ...string) (string, error) {
	out, err := PlugnTrigger(name, args...)
	out = strings.TrimRight(out, "\n")
	if i := strings.LastIndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	}
	return strings.TrimSpace(out), err
}

func plugnBin() string {
	if p := os.Getenv("PLUGN_BIN"); p != "" {
		return p
	}
	return "plugn"
}

// Dokku runs a `dokku` command (e.g. ps:rebuild) as a user would, streaming
// its output. DOKKU_BIN overrides the binary (tests use a stand-in).
func Dokku(args ...string) error {
	bin := os.Getenv("DOKKU_BIN")
	if bin == "" {
		bin = "dokku"
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = Stdout, Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("dokku %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// PlugnTriggerStream runs a trigger with its output going straight to the
// operator (a rebuild streams its build log).
func PlugnTriggerStream(name string, args ...string) error {
	cmd := exec.Command(plugnBin(), append([]string{"trigger", name}, args...)...)
	cmd.Stdout, cmd.Stderr = Stdout, Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("trigger %s failed: %w", name, err)
	}
	return nil
}

package cli

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// TestHelpListsEveryFlag: each subcommand's help line names every flag the
// subcommand takes (prodserver:args once lacked --skip-deploy), and no
// description holds a comma, since `dokku help --all` splits lines at
// commas (column -s,).
func TestHelpListsEveryFlag(t *testing.T) {
	for name, sc := range subcommands {
		if name == "help" {
			continue // prodserver:help prints these lines
		}
		text, ok := store.Usage(name)
		if !ok {
			t.Errorf("prodserver:%s has no help line", name)
			continue
		}
		// "Usage: dokku <usage>\n\n<description>.\n", split at the help
		// line's first comma.
		usage, desc, _ := strings.Cut(strings.TrimPrefix(text, "Usage: dokku "), "\n\n")
		if strings.Contains(desc, ",") {
			t.Errorf("prodserver:%s: description holds a comma: %q", name, desc)
		}
		for _, f := range sc.flags {
			if !strings.Contains(usage, "--"+f.Names()[0]) {
				t.Errorf("prodserver:%s takes --%s, but its help line does not say so: %q", name, f.Names()[0], usage)
			}
		}
	}
}

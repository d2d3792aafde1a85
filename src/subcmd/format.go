package subcmd

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
)

func checkFormat(f string, allowed ...string) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	return fmt.Errorf("Invalid --format value specified: %s (use %s)", dokku.Printable(f), strings.Join(allowed, " or "))
}

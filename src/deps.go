//go:build tools

// Package src pins the module's dependencies until code imports them.
package src

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/tidwall/gjson"
	_ "github.com/urfave/cli/v2"
)

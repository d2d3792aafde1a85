package dokku

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// ReportMinWidth is the narrowest label column Dokku's reports use.
// Items are printed in the order given; Dokku sorts them by flag.
const ReportMinWidth = 31

// ReportItem is one line of an X:report: its flag (e.g.
// "--prodserver-enabled") and its value.
type ReportItem struct {
	Flag  string
	Value string
}

// ReportLabel turns a report flag into Dokku's label: "--prodserver-global-enabled"
// becomes "Prodserver global enabled".
func ReportLabel(flag string) string {
	s := strings.NewReplacer("-", " ", ".", " ").Replace(strings.TrimPrefix(flag, "--"))
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// FormatReport renders a report for one app the way Dokku's
// ReportSingleApp does. format is "stdout" or "json"; infoFlag, when not
// empty, selects one item whose bare value is printed.
func FormatReport(app, format, infoFlag string, items []ReportItem) (string, error) {
	if format != "stdout" && format != "json" {
		return "", fmt.Errorf("Format must be \"stdout\" or \"json\": %s", printable(format))
	}
	if format == "json" && infoFlag != "" {
		return "", fmt.Errorf("--format flag cannot be specified when specifying an info flag")
	}
	if infoFlag != "" {
		for _, it := range items {
			if it.Flag == infoFlag {
				return it.Value + "\n", nil
			}
		}
		flags := make([]string, 0, len(items))
		for _, it := range items {
			flags = append(flags, it.Flag)
		}
		sort.Strings(flags)
		return "", fmt.Errorf("Invalid flag passed, valid flags: %s", strings.Join(flags, ", "))
	}
	if format == "json" {
		m := make(map[string]string, len(items))
		for _, it := range items {
			m[strings.TrimPrefix(it.Flag, "--")] = it.Value
		}
		b, err := json.Marshal(m)
		if err != nil {
			return "", fmt.Errorf("encoding report: %w", err)
		}
		return string(b) + "\n", nil
	}
	// Dokku pads "Label:" to the longest flag's length (at least 31), which
	// leaves one space after the longest label.
	width := ReportMinWidth
	for _, it := range items {
		if n := len(it.Flag); n > width {
			width = n
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "=====> %s %s information\n", app, PluginName)
	for _, it := range items {
		fmt.Fprintf(&b, "       %-*s%s\n", width, ReportLabel(it.Flag)+":", it.Value)
	}
	return b.String(), nil
}

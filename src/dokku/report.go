package dokku

import (
	"fmt"
	"sort"
	"strings"
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
	b := []byte(strings.TrimPrefix(flag, "--"))
	for i, c := range b {
		if c == '-' || c == '.' {
			b[i] = ' '
		}
	}
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
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
		return jsonObject(items), nil
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
	b.WriteString("=====> " + app + " " + PluginName + " information\n")
	for _, it := range items {
		label := ReportLabel(it.Flag) + ":"
		b.WriteString("       ")
		b.WriteString(label)
		for n := len(label); n < width; n++ {
			b.WriteByte(' ')
		}
		b.WriteString(it.Value)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// jsonObject renders items as Dokku's flat JSON report: one object, keys
// sorted, as encoding/json would write it (HTML-safe escapes included).
// Since 0.38.0 Dokku's Go plugins key it without the plugin prefix
// ("enabled"), and during 0.38.x also keep the prefixed key
// ("prodserver-enabled") alongside (plugins/common/common.go
// ReportSingleApp with TrimPrefix and EmitLegacyPrefix). Written by hand so
// the triggers binary, which runs in every deploy, need not link
// encoding/json.
func jsonObject(items []ReportItem) string {
	m := make(map[string]string, 2*len(items))
	keys := make([]string, 0, 2*len(items))
	add := func(k, v string) {
		if _, dup := m[k]; !dup {
			keys = append(keys, k)
		}
		m[k] = v
	}
	prefix := "--" + PluginName + "-"
	for _, it := range items {
		if short, ok := strings.CutPrefix(it.Flag, prefix); ok {
			add(short, it.Value)
		}
		add(strings.TrimPrefix(it.Flag, "--"), it.Value)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		jsonString(&b, k)
		b.WriteByte(':')
		jsonString(&b, m[k])
	}
	b.WriteString("}\n")
	return b.String()
}

func jsonString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hex[(r>>uint(shift))&0xf])
			}
		case r == 0xFFFD:
			b.WriteString("\ufffd")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

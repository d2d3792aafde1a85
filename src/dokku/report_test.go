package dokku

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFormatReportJSONMatchesEncodingJSON(t *testing.T) {
	items := []ReportItem{
		{"--prodserver-b", "plain"},
		{"--prodserver-a", "quote \" backslash \\ tab \t nl \n cr \r"},
		{"--prodserver-c", "<html> & \u2028 \x01 é 日本"},
		{"--prodserver-d", ""},
	}
	got, err := FormatReport("app", "json", "", items)
	if err != nil {
		t.Fatal(err)
	}
	// Dokku 0.38: unprefixed keys, with the prefixed ones alongside.
	m := map[string]string{}
	for _, it := range items {
		m[strings.TrimPrefix(it.Flag, "--")] = it.Value
		m[strings.TrimPrefix(it.Flag, "--prodserver-")] = it.Value
	}
	want, _ := json.Marshal(m)
	if got != string(want)+"\n" {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestFormatReportStdout(t *testing.T) {
	items := []ReportItem{{"--prodserver-enabled", "auto"}, {"--prodserver-computed-settings-module", "x"}}
	got, err := FormatReport("shop", "stdout", "", items)
	if err != nil {
		t.Fatal(err)
	}
	want := "=====> shop prodserver information\n" +
		"       Prodserver enabled:                  auto\n" +
		"       Prodserver computed settings module: x\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if v, err := FormatReport("shop", "stdout", "--prodserver-enabled", items); err != nil || v != "auto\n" {
		t.Errorf("single flag: %q %v", v, err)
	}
	if _, err := FormatReport("shop", "json", "--prodserver-enabled", items); err == nil {
		t.Error("json with an info flag accepted")
	}
	if _, err := FormatReport("shop", "stdout", "--prodserver-nope", items); err == nil || !strings.Contains(err.Error(), "Invalid flag passed") {
		t.Errorf("unknown flag: %v", err)
	}
}

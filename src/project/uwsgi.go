package project

import (
	"strings"
)

// uwsgiPluginPackages are the OS packages of uWSGI's Python 3 plugin:
// Debian's and Ubuntu's (and Fedora's) uwsgi-plugin-python3, Alpine's
// uwsgi-python3. A uWSGI installed from them is modular: it serves Python
// only with --plugin=python3, and refuses --module without it. pip's
// uwsgi has Python built in and needs no plugin.
var uwsgiPluginPackages = map[string]string{
	"uwsgi-plugin-python3": "python3",
	"uwsgi-python3":        "python3",
}

// maxImageRecipe bounds the Aptfile read: a recipe, not data.
const maxImageRecipe = 1 << 20

// findUwsgiPlugin sets f.UwsgiPlugin (and UwsgiPluginFile) when the
// Aptfile (heroku-buildpack-apt, for herokuish and pack images) names the
// plugin's package. A Dockerfile build is the deploy's to judge, from the
// Dockerfile's final stage (src/deploy image.go, as this package does not
// parse Dockerfiles): a build stage that installs the plugin puts nothing
// in the image. Only the package name is looked for, as a word of its own
// (a version pin such as =2.0.21-5.1 allowed): the recipe is never run or
// parsed as shell.
func findUwsgiPlugin(t *tree, f *Facts) {
	const file = "Aptfile"
	if !t.isFile(file) {
		return
	}
	b, err := t.read(file, maxImageRecipe)
	if err != nil {
		warnf(f, "%v; uWSGI's plugin is not looked for in it", err)
		return
	}
	if p := UwsgiPluginIn(string(b)); p != "" {
		f.UwsgiPlugin, f.UwsgiPluginFile = p, file
	}
}

// UwsgiPluginIn is the plugin a recipe's words install, "" for none.
func UwsgiPluginIn(recipe string) string {
	for _, w := range strings.FieldsFunc(recipe, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\\' || r == ';' || r == '&' || r == '"' || r == '\'' || r == ','
	}) {
		name, _, _ := strings.Cut(w, "=")
		if p, ok := uwsgiPluginPackages[strings.ToLower(name)]; ok {
			return p
		}
	}
	return ""
}

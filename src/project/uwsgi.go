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

// maxImageRecipe bounds the Dockerfile and Aptfile read: recipes, not data.
const maxImageRecipe = 1 << 20

// findUwsgiPlugin sets f.UwsgiPlugin (and UwsgiPluginFile) when the image
// gets its uWSGI from the OS: the root Dockerfile (builder-dockerfile has
// moved a custom dockerfile-path there before deploy reads the tree) or
// the Aptfile (heroku-buildpack-apt, for herokuish and pack images) names
// the plugin's package. Only the package name is looked for, as a word of
// its own (a version pin such as =2.0.21-5.1 allowed): the recipe is never
// run or parsed as shell.
func findUwsgiPlugin(t *tree, f *Facts) {
	for _, file := range []string{"Dockerfile", "Aptfile"} {
		if !t.isFile(file) {
			continue
		}
		b, err := t.read(file, maxImageRecipe)
		if err != nil {
			warnf(f, "%v; uWSGI's plugin is not looked for in it", err)
			continue
		}
		if p := uwsgiPluginIn(string(b)); p != "" {
			f.UwsgiPlugin, f.UwsgiPluginFile = p, file
			return
		}
	}
}

// uwsgiPluginIn is the plugin a recipe's words install, "" for none.
func uwsgiPluginIn(recipe string) string {
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

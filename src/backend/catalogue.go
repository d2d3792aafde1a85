package backend

import (
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyversion"
)

// The lists other packages need are derived here from the catalogue
// entries, so a backend's file is the only place that names it: detection
// order, the task-queue workers and the django-prodserver class table.

// ForPackages is the web backend of kind (KindWSGI or KindASGI) that
// detection picks for an app declaring pkgs (normalised name → version
// specifier): the lowest Detect.Rank whose packages are all declared, else
// the kind's Fallback. Detect.MinVersions must be guaranteed by the
// declared specifiers. "" when the kind has no web backend.
func ForPackages(kind Kind, pkgs map[string]string) string {
	var ranked []*Backend
	fallback := ""
	for _, b := range All() {
		if b.Kind != kind {
			continue
		}
		if b.Detect.Fallback && fallback == "" {
			fallback = b.Name
		}
		if b.Detect.Rank > 0 {
			ranked = append(ranked, b)
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Detect.Rank < ranked[j].Detect.Rank })
	for _, b := range ranked {
		if len(b.MissingPackages(pkgs)) == 0 && b.hasMinVersions(pkgs) {
			return b.Name
		}
	}
	return fallback
}

// hasMinVersions says whether the declared specifiers guarantee every one
// of Detect.MinVersions.
func (b *Backend) hasMinVersions(pkgs map[string]string) bool {
	for pkg, min := range b.Detect.MinVersions {
		if !pyversion.AtLeast(pkgs[pkg], min) {
			return false
		}
	}
	return true
}

// ForQueue is the worker backend for a task queue named as package
// project names it (project.QueueCelery...), "" for a queue no backend runs.
func ForQueue(queue string) string {
	for _, b := range All() {
		for _, q := range b.Detect.Queues {
			if q == queue {
				return b.Name
			}
		}
	}
	return ""
}

// djangoPrefix starts every django-prodserver backend class path.
const djangoPrefix = "django_prodserver.backends."

// ForDjangoClass is the backend a django-prodserver class path (e.g.
// "django_prodserver.backends.servers.gunicorn.GunicornServer") means, in
// either release's layout; ok is false for a class prodserver cannot render.
func ForDjangoClass(class string) (name string, ok bool) {
	rest, ok := strings.CutPrefix(class, djangoPrefix)
	if !ok || rest == "" {
		return "", false
	}
	for _, b := range All() {
		d := b.DjangoProdserver
		for _, c := range append([]string{d.V2, d.V3}, d.Also...) {
			if c == rest {
				return b.Name, true
			}
		}
	}
	return "", false
}

// DjangoClass is the full django-prodserver class path that runs this
// backend in release major (2.x's layout below 3), "" when that release has
// no class for it.
func (b *Backend) DjangoClass(major int) string {
	c := b.DjangoProdserver.V2
	if major >= 3 {
		c = b.DjangoProdserver.V3
	}
	if c == "" {
		return ""
	}
	return djangoPrefix + c
}

package plan

import "strings"

// ForApp puts the app's real name into a message's commands: detection and
// the plan write `dokku config:set <app> …` because they do not know it,
// while the deploy and prodserver:processes do, and a command the operator
// can paste as it is beats one to edit.
func ForApp(msg, app string) string {
	if app == "" {
		return msg
	}
	return strings.ReplaceAll(msg, "<app>", app)
}

// NameApp applies ForApp to every message of the plan.
func (p *Plan) NameApp(app string) {
	for _, list := range [][]string{p.Warnings, p.Notices, p.Errors} {
		for i := range list {
			list[i] = ForApp(list[i], app)
		}
	}
}

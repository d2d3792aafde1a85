package plan

import "strings"

// On scheduler-docker-local every process type is deployed with zero
// downtime: the new container starts, then the old one is retired, so a
// singleton (celery beat) runs twice for a while and sends its scheduled
// tasks twice. Dokku skips the overlap for the types listed in the checks
// plugin's `disabled` property (`checks:disable APP PROC`): its
// scheduler-deploy-process stops their running containers first
// (plugins/scheduler-docker-local/bin/scheduler-deploy-process, v0.38.27).
// The property is one comma-separated string, or `_all_` for every type
// (plugins/checks/functions is_app_proctype_checks_disabled).
// docs/dokku-contract.md has the source lines.

// ChecksAll is the checks plugin's value for "every process type".
const ChecksAll = "_all_"

// ChecksList is the checks plugin's `disabled` value, split as Dokku's
// is_val_in_list splits it (on commas only). Entries are kept verbatim,
// in order, so a rewrite changes nothing but what prodserver adds or
// removes.
type ChecksList struct {
	All     bool
	Entries []string
}

// ParseChecksList reads a `disabled` value. Trailing newlines are dropped,
// as bash's $(...) drops them when Dokku reads the property; empty entries
// (",,") match no process type and are dropped, as Dokku's own
// checks:disable drops them when it rewrites the list.
func ParseChecksList(v string) ChecksList {
	v = strings.TrimRight(v, "\n")
	if v == ChecksAll {
		return ChecksList{All: true}
	}
	var l ChecksList
	for _, e := range strings.Split(v, ",") {
		if e != "" {
			l.Entries = append(l.Entries, e)
		}
	}
	return l
}

// Has says Dokku would deploy proc without zero downtime.
func (l ChecksList) Has(proc string) bool {
	if l.All {
		return true
	}
	for _, e := range l.Entries {
		if e == proc {
			return true
		}
	}
	return false
}

// String is the value to store; "" means the property is deleted (as
// checks:enable deletes it when the list is empty).
func (l ChecksList) String() string {
	if l.All {
		return ChecksAll
	}
	return strings.Join(l.Entries, ",")
}

// StopFirst is what a deploy does to the checks plugin's `disabled` list
// so that Dokku stops each singleton's old container before starting the
// new one, touching only entries prodserver added.
type StopFirst struct {
	// Value is the new `disabled` value ("" = delete the property); Write
	// says it differs from what is stored.
	Value string
	Write bool
	// Claimed are the entries prodserver owns after the change: the ones
	// a later deploy without the singleton removes.
	Claimed []string
	// Added and Removed are this deploy's changes; Yours are wanted
	// singletons the operator had disabled already (prodserver claims and
	// later removes nothing of theirs).
	Added, Removed, Yours []string
}

// ReconcileStopFirst decides the `disabled` list for a deploy: want are
// the singletons that must stop first (none when the scheduler is not
// docker-local or the operator opted out), claimed what prodserver added
// in earlier deploys, current the stored value. An operator's entries,
// and `_all_`, are never changed; a claimed entry no longer wanted is
// removed; a wanted one missing is added (again, if the operator removed
// it with checks:enable: the opt-out is prodserver's setting).
func ReconcileStopFirst(current string, claimed, want []string) StopFirst {
	l := ParseChecksList(current)
	isClaimed := map[string]bool{}
	for _, c := range claimed {
		isClaimed[c] = true
	}
	wanted := map[string]bool{}
	var out StopFirst
	for _, w := range want {
		if wanted[w] || w == "" || strings.Contains(w, ",") {
			continue
		}
		wanted[w] = true
		switch {
		case l.All:
			// checks:disable APP (every type) replaced the list: nothing
			// of prodserver's is left in it to own.
			out.Yours = append(out.Yours, w)
		case l.Has(w) && isClaimed[w]:
			out.Claimed = append(out.Claimed, w)
		case l.Has(w):
			out.Yours = append(out.Yours, w)
		default:
			l.Entries = append(l.Entries, w)
			out.Added = append(out.Added, w)
			out.Claimed = append(out.Claimed, w)
		}
	}
	for _, c := range claimed {
		if wanted[c] || l.All || !l.Has(c) {
			continue
		}
		kept := l.Entries[:0:0]
		for _, e := range l.Entries {
			if e != c {
				kept = append(kept, e)
			}
		}
		l.Entries = kept
		out.Removed = append(out.Removed, c)
	}
	out.Value = l.String()
	out.Write = len(out.Added) > 0 || len(out.Removed) > 0
	return out
}

// StopFirstProcs are the processes a docker-local deploy must stop before
// starting their new container: the managed singletons, in plan order.
// Unlike Singletons (k3s), any Procfile name is a valid Dokku process type.
func (p *Plan) StopFirstProcs() []string {
	var names []string
	for _, proc := range p.Processes {
		if proc.Managed && proc.Singleton {
			names = append(names, proc.Name)
		}
	}
	return names
}

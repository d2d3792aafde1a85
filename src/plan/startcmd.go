package plan

import "fmt"

// StartCmdWarnings says which of ps's start-cmd and dockerfile-start-cmd
// (values "" when unset) replace every rendered Procfile line for this
// scheduler and builder, as Dokku v0.38.27 picks the container's command:
//
//   - docker-local (scheduler-docker-local/bin/scheduler-deploy-process-container,
//     fn-scheduler-docker-local-extract-start-cmd): herokuish images run
//     start-cmd when set; other images dockerfile-start-cmd, else the
//     Procfile's line.
//   - k3s (scheduler-k3s/functions.go extractStartCommand): herokuish
//     images always run `/start <proc>`; dockerfile images run
//     dockerfile-start-cmd, else start-cmd; pack images start-cmd; else
//     the Procfile's line.
//
// The image source type follows the builder: herokuish, pack, and any
// other builder's image is a Dockerfile-type one (scheduler-k3s/
// release_values.go resolveImageMetadata). A property set where it takes
// no effect gets a note instead, so the operator knows it is inert.
func StartCmdWarnings(scheduler, builder, startCmd, dockerfileStartCmd string) (warnings, notes []string) {
	image := builder
	if image != "herokuish" && image != "pack" {
		image = "dockerfile"
	}
	k3s := scheduler == "k3s"
	takes := map[string]bool{}
	switch {
	case k3s && image == "dockerfile":
		takes["dockerfile-start-cmd"], takes["start-cmd"] = true, dockerfileStartCmd == ""
	case k3s && image == "pack":
		takes["start-cmd"] = true
	case !k3s && image == "herokuish":
		takes["start-cmd"] = true
	case !k3s:
		takes["dockerfile-start-cmd"] = true
	}
	sched := scheduler
	if sched == "" {
		sched = "docker-local"
	}
	for _, p := range []struct{ key, value string }{{"start-cmd", startCmd}, {"dockerfile-start-cmd", dockerfileStartCmd}} {
		if p.value == "" {
			continue
		}
		if takes[p.key] {
			warnings = append(warnings, fmt.Sprintf("ps's %s is set (%s): on %s with a %s image every process runs it instead of its Procfile line, so no line prodserver renders is started; unset it with dokku ps:set <app> %s", p.key, quoteCmd(p.value), sched, image, p.key))
		} else {
			notes = append(notes, fmt.Sprintf("ps's %s is set but has no effect on %s with a %s image", p.key, sched, image))
		}
	}
	return warnings, notes
}

// quoteCmd shows an operator's command on one line, cut when long.
func quoteCmd(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "..."
	}
	return fmt.Sprintf("%q", s)
}

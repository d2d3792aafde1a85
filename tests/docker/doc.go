// Package docker is prodserver's Docker test tier: it deploys the fixture
// Django app (tests/fixtures/djangoapp) through the harness so that
// prodserver renders its Procfile, builds the app into an image FROM the
// locally made base image, and runs every rendered process in a real Docker
// engine exactly as Dokku's scheduler-docker-local runs a Dockerfile app:
//
//	docker container create --init --env PORT=5000 <docker-args-process-deploy output> IMAGE <words of the line>
//
// The other tiers start the same commands as host processes; only a real
// engine shows what tini (--init), --stop-signal, `docker stop --time` and
// the cgroup limits of --cpus/--memory do to them.
//
// It is slow and needs root, so it runs only with PRODSERVER_DOCKER=1, which
// `make test-docker` sets after scripts/docker-setup has installed docker.io,
// started dockerd and built the base image. Without it, or when no engine
// answers, every test skips with a message that says why: never a silent pass.
package docker

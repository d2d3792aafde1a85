package backend

// celeryProjectDirDoc is shared by every celery subcommand.
const celeryProjectDirDoc = "--workdir=<ProjectDir>, a global option before --app: celery changes directory eagerly, then imports the app with the current directory on sys.path."

// celeryCommand starts `celery [--workdir=dir] --app=app <sub>`. The global
// options must come before the subcommand (celery 5 refuses -A after it), so
// they are head words that options do not replace.
func celeryCommand(c *Context, sub string) (*command, error) {
	app, err := needCeleryApp(c.CeleryApp)
	if err != nil {
		return nil, err
	}
	cmd := newCommand("celery")
	if c.ProjectDir != "" {
		cmd.head = append(cmd.head, "--workdir="+c.ProjectDir)
	}
	cmd.head = append(cmd.head, "--app="+app, sub)
	return cmd, nil
}

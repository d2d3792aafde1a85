package backend

// manageProjectDirDoc is shared by every manage.py command.
const manageProjectDirDoc = "python <ManagePy>: Python puts manage.py's own directory first on sys.path, so the project imports from any working directory."

// manage starts `python path/to/manage.py <command>`.
func manage(c *Context, command string) *command {
	return newCommand(c.Python, c.ManagePy, command)
}

package project

import "testing"

// TestStaticFacts: STATIC_ROOT and the storage collectstatic writes
// through, read from settings as Django would take them; a class that is
// not a literal counts as remote only when the settings name a remote one.
func TestStaticFacts(t *testing.T) {
	for _, c := range []struct {
		name, settings string
		rootFile, root string
		storage        string
		remote         bool
	}{
		{name: "no STATIC_ROOT", settings: "STATIC_URL = '/static/'\n"},
		{name: "None is unset", settings: "STATIC_ROOT = None\n"},
		{name: "literal", settings: "STATIC_ROOT = '/app/staticfiles'\n", rootFile: "proj/settings.py", root: "/app/staticfiles"},
		{name: "expression", settings: "from pathlib import Path\nBASE_DIR = Path(__file__).parent.parent\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n", rootFile: "proj/settings.py"},
		{name: "whitenoise STORAGES is local", settings: "STATIC_ROOT = 'static'\nSTORAGES = {'default': {'BACKEND': env('MEDIA')}, 'staticfiles': {'BACKEND': 'whitenoise.storage.CompressedManifestStaticFilesStorage'}}\n",
			rootFile: "proj/settings.py", root: "static", storage: "whitenoise.storage.CompressedManifestStaticFilesStorage"},
		{name: "S3 STORAGES is remote", settings: "STATIC_ROOT = 'static'\nSTORAGES = {'staticfiles': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n",
			rootFile: "proj/settings.py", root: "static", storage: "storages.backends.s3.S3Storage", remote: true},
		{name: "STORAGES without staticfiles is Django's default", settings: "STATIC_ROOT = 'static'\nSTORAGES = {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n",
			rootFile: "proj/settings.py", root: "static"},
		{name: "old STATICFILES_STORAGE remote", settings: "STATIC_ROOT = 'static'\nSTATICFILES_STORAGE = 'storages.backends.s3boto3.S3StaticStorage'\n",
			rootFile: "proj/settings.py", root: "static", storage: "storages.backends.s3boto3.S3StaticStorage", remote: true},
		{name: "computed class naming a remote one", settings: "import os\nSTATIC_ROOT = 'static'\nSTATICFILES_STORAGE = os.environ.get('STATIC_STORAGE', 'storages.backends.gcloud.GoogleCloudStorage')\n",
			rootFile: "proj/settings.py", root: "static", storage: "storages.backends.gcloud.GoogleCloudStorage", remote: true},
		{name: "computed class naming none", settings: "import os\nSTATIC_ROOT = 'static'\nSTATICFILES_STORAGE = os.environ['STATIC_STORAGE']\n",
			rootFile: "proj/settings.py", root: "static"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"manage.py":        manage("proj.settings"),
				"requirements.txt": "Django\n",
				"proj/__init__.py": "",
				"proj/settings.py": c.settings,
			})
			f := scan(t, root, Options{})
			if f.StaticRootFile != c.rootFile || f.StaticRoot != c.root || f.StaticStorage != c.storage || f.StaticRemote != c.remote {
				t.Errorf("static facts: root file %q root %q storage %q remote %v; want %q %q %q %v",
					f.StaticRootFile, f.StaticRoot, f.StaticStorage, f.StaticRemote, c.rootFile, c.root, c.storage, c.remote)
			}
		})
	}
}

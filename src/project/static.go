package project

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// remoteStorages are the class prefixes of storage backends that upload
// what collectstatic collects (django-storages' S3, GCS, Azure, SFTP…,
// and the single-service packages): with one of these, the files are kept
// wherever collectstatic runs, the release phase included. Everything else
// (Django's StaticFilesStorage and ManifestStaticFilesStorage, WhiteNoise's
// CompressedManifestStaticFilesStorage) writes to STATIC_ROOT, inside the
// container.
var remoteStorages = []string{"storages.backends.", "cloudinary_storage.", "django_s3_storage.", "s3_folder_storage.", "minio_storage."}

// RemoteStorage says whether the storage class uploads its files.
func RemoteStorage(class string) bool {
	for _, p := range remoteStorages {
		if strings.HasPrefix(class, p) {
			return true
		}
	}
	return false
}

// resolveStatic fills the static-files facts from the settings chain:
// STATIC_ROOT (where collectstatic writes), and the storage class it writes
// through, from STORAGES["staticfiles"]["BACKEND"] (Django 4.2+), else
// STATICFILES_STORAGE. A value that is not a literal (env("…"), a computed
// dict) leaves the class unknown; then any remote class named by a string
// literal in the settings counts, so an app that may upload is not told
// its files are lost.
func (s *scanner) resolveStatic(chain []pyModule, f *facts.Facts) {
	if l := s.lookupSetting(chain, "STATIC_ROOT"); l.present {
		f.StaticRootFile = l.file
		if str, ok := l.v.(string); ok && l.err == nil {
			f.StaticRoot = str
		}
		if l.err == nil && l.v == nil {
			f.StaticRootFile = "" // STATIC_ROOT = None is Django's default: unset
		}
	}
	class, known := "", true
	if m, v, found, err := lenientSetting(chain, "STORAGES"); found {
		known = false
		if d, ok := v.(*pyliteral.Dict); ok && err == nil {
			known = true
			if st, ok := d.Get("staticfiles"); ok {
				sd, ok := st.(*pyliteral.Dict)
				b, _ := dictString(sd, ok, "BACKEND")
				class, known = b, b != ""
			}
		}
		f.StaticStorageFile = m
	} else if l := s.lookupSetting(chain, "STATICFILES_STORAGE"); l.present {
		str, ok := l.v.(string)
		class, known = str, ok && l.err == nil
		f.StaticStorageFile = l.file
	}
	f.StaticStorage = class
	f.StaticRemote = RemoteStorage(class)
	if known {
		return
	}
	for _, m := range chain {
		for lit := range stringLiterals(m.src) {
			if RemoteStorage(lit) {
				f.StaticStorage, f.StaticRemote = lit, true
				return
			}
		}
	}
}

// lenientSetting is LookupLenient over the chain: the first module that
// assigns name decides.
func lenientSetting(chain []pyModule, name string) (file string, v pyliteral.Value, found bool, err error) {
	for _, m := range chain {
		if v, found, err = pyliteral.LookupLenient(m.src, name); found {
			return m.file, v, true, err
		}
	}
	return "", nil, false, nil
}

// dictString is d[key] when d is a dict (ok) holding a string there.
func dictString(d *pyliteral.Dict, ok bool, key string) (string, bool) {
	if !ok || d == nil {
		return "", false
	}
	v, _ := d.Get(key)
	str, isStr := v.(string)
	return str, isStr
}

module github.com/dokku-prodserver/dokku-prodserver

go 1.23

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/joho/godotenv v1.5.1
	github.com/tailscale/hujson v0.0.0-20250605163823-992244df8c5a
	github.com/tidwall/gjson v1.20.1
	github.com/urfave/cli/v2 v2.27.7
	mvdan.cc/sh/v3 v3.10.0
)

require (
	github.com/cpuguy83/go-md2man/v2 v2.0.7 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	github.com/xrash/smetrics v0.0.0-20240521201337-686a1a2994c1 // indirect
)

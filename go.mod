module github.com/leakguard/leakguard

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/coregx/ahocorasick v0.3.1
	github.com/nyaruka/phonenumbers v1.8.1
	github.com/spf13/cobra v1.10.2
	github.com/wasilibs/go-re2 v1.13.0
	golang.org/x/text v0.44.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	golang.org/x/sys v0.50.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)

# Benchmarks of issue 4; the test suite itself runs with `go test ./...`.
# `make bench` is the full run (300 MB generated + $(go env GOROOT)/src,
# 3 runs, gitleaks installed if missing); `make bench-smoke` is the quick
# check for CI: a small corpus, 1 run, ripgrep as the only peer (when
# installed), and a non-zero exit when leakguard misses a planted value.

.PHONY: bench bench-smoke fuzz

bench:
	scripts/bench.sh

bench-smoke:
	LG_BENCH_DIR=$${TMPDIR:-/tmp}/leakguard-bench-smoke scripts/bench.sh --size 5 --runs 1 \
		--goroot-dirs "net/http crypto/tls fmt strings" --peers rg

# Every fuzz target for FUZZTIME each (default 3m); crashers land in the
# package's testdata/fuzz and become regression seeds once committed.
fuzz:
	FUZZTIME=$${FUZZTIME:-3m} scripts/fuzz.sh

# tests/cli/build.mk - the bad-input tests of the command line, the loader
# and the machine (tests/cli/run.sh), run by `make check` as check-cli.
.PHONY: check-cli
check-cli: $(JET86)
	tests/cli/run.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))"

CHECK_TARGETS += check-cli
